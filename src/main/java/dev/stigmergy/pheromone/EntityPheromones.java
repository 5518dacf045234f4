package dev.stigmergy.pheromone;

import java.time.Instant;
import java.util.List;

/**
 * What the acting role senses on one entity at {@code at}: raw pheromones and their per-type aggregates,
 * only of types the role reads.
 *
 * @param entity      entity address
 * @param environment its environment
 * @param role        the acting role whose slice this is
 * @param at          the instant of the read (UTC)
 * @param pheromones  visible pheromones, by type then depositor
 * @param aggregates  one per type, by type
 */
public record EntityPheromones(String entity, String environment, String role, Instant at,
                               List<PheromoneView> pheromones, List<TypeAggregate> aggregates) {
}
