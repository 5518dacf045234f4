package dev.stigmergy.dependency;

import java.time.Instant;
import java.util.List;

/**
 * An entity's links in both directions, read at {@code at}.
 *
 * @param entity                  its address {@code kind/key}
 * @param environment             its environment
 * @param done                    whether it carries a visible {@code completion.*} pheromone
 * @param dependenciesDone        whether every entity it depends on is done (true when it depends on none)
 * @param dependsOn               what it waits for, by address
 * @param dependants              what waits for it, by address
 * @param at                      the instant of the read (UTC)
 */
public record DependencyView(String entity, String environment, boolean done, boolean dependenciesDone,
                             List<LinkedEntity> dependsOn, List<LinkedEntity> dependants, Instant at) {
}
