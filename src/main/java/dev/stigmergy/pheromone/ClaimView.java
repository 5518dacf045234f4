package dev.stigmergy.pheromone;

import java.time.Instant;

/**
 * A claim on a pheromone: a lease held by one agent (DESIGN.md §2).
 *
 * @param pheromone    the claimed pheromone's id
 * @param entity       entity address {@code kind/key}
 * @param holder       holding agent
 * @param fencingToken token from the global sequence, drawn at the grant; unchanged by renewal
 * @param leaseSeconds lease length; each renewal and heartbeat extends to now + leaseSeconds
 * @param expiresAt    end of the lease (UTC)
 */
public record ClaimView(long pheromone, String entity, String holder, long fencingToken, long leaseSeconds,
                        Instant expiresAt) {
}
