package dev.stigmergy.lock;

import java.time.Instant;

/**
 * A live lock as served.
 *
 * @param entity       entity address {@code kind/key}
 * @param environment  environment of the entity
 * @param holder       id of the holding agent
 * @param fencingToken the grant's fencing token (global, strictly increasing sequence); unchanged by
 *                     renewal, new on every grant including a handover
 * @param reason       the holder's reason, if given
 * @param leaseSeconds lease length in seconds; renewals extend by it
 * @param acquiredAt   when this grant was made (UTC)
 * @param expiresAt    end of the lease (UTC, exclusive): from then on the lock is free
 */
public record LockGrant(String entity, String environment, String holder, long fencingToken, String reason,
                        int leaseSeconds, Instant acquiredAt, Instant expiresAt) {
}
