package dev.stigmergy.dependency;

import java.time.Instant;

/**
 * The other end of a link, as seen from one entity.
 *
 * @param entity    its address {@code kind/key}
 * @param done      whether it carries a visible {@code completion.*} pheromone now
 * @param createdAt when the link was added (UTC)
 * @param createdBy the agent that added it
 */
public record LinkedEntity(String entity, boolean done, Instant createdAt, String createdBy) {
}
