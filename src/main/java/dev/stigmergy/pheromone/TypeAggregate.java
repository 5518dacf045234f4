package dev.stigmergy.pheromone;

import java.util.List;

/**
 * One type's pheromones on one entity, aggregated at read time.
 *
 * @param entity         entity address {@code kind/key}
 * @param environment    the entity's environment
 * @param type           signal type
 * @param totalIntensity sum of the current intensities of its visible pheromones
 * @param count          number of visible pheromones (depositors)
 * @param depositors     their depositors, ordered
 */
public record TypeAggregate(String entity, String environment, String type, double totalIntensity, long count,
                            List<String> depositors) {
}
