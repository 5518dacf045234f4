package dev.stigmergy.lock;

import dev.stigmergy.lease.HoldRequest;

import java.time.Instant;
import java.util.List;

/**
 * A live lock with the unlock requests pending against it, as {@code GET /entities/{kind}/{key}/lock}
 * serves it. Fields as in {@link LockGrant}.
 *
 * @param unlockRequests pending unlock requests against this grant, oldest first
 */
public record LockView(String entity, String environment, String holder, long fencingToken, String reason,
                       int leaseSeconds, Instant acquiredAt, Instant expiresAt, List<HoldRequest> unlockRequests) {
}
