package dev.stigmergy.pheromone;

import dev.stigmergy.entity.EntityRef;

import java.time.Instant;

/**
 * A CDI event: an agent deposited the first pheromone of a {@code completion.*} type on an entity that carried no
 * other visible completion signal, so the entity became done (issue 27: an entity is done when it has a visible
 * completion signal). Fired after the deposit, in the deposit's transaction when the caller had one, after its
 * commit otherwise; observed by capabilities above this one (entity dependencies) that react to work being
 * finished.
 *
 * @param entity the entity now done
 * @param type   the completion type, e.g. {@code completion.replayed}
 * @param agent  the depositor
 * @param at     the deposit's instant
 */
public record CompletionSignalled(EntityRef entity, String type, String agent, Instant at) {
}
