package dev.stigmergy.lease;

import java.time.Instant;

/**
 * One grant of a hold (DESIGN.md §1 "lease"), as the machinery that acts on any hold (unlock requests)
 * sees it, whatever holds: a lock, an intent's files, a pheromone claim.
 *
 * @param kind         what holds: {@code lock}, {@code intent}, {@code claim}
 * @param id           the hold's id within its kind; a new grant (including a handover) is a new id
 * @param entity       entity address {@code kind/key} the hold is on
 * @param environment  environment of that entity
 * @param holder       id of the holding agent
 * @param fencingToken the grant's fencing token (global sequence)
 * @param expiresAt    end of the lease (UTC), exclusive: at {@code expiresAt} the hold has lapsed
 */
public record Hold(String kind, String id, String entity, String environment, String holder, long fencingToken,
                   Instant expiresAt) {
}
