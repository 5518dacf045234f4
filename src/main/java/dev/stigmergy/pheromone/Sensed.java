package dev.stigmergy.pheromone;

import java.time.Instant;
import java.util.List;

/**
 * Aggregates sensed at {@code at}, strongest first.
 *
 * @param role       the acting role
 * @param at         the instant of the read (UTC)
 * @param aggregates per (entity, type), by totalIntensity descending, then address
 */
public record Sensed(String role, Instant at, List<TypeAggregate> aggregates) {
}
