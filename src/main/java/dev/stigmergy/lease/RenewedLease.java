package dev.stigmergy.lease;

import java.time.Instant;

/**
 * One lease a heartbeat renewed.
 *
 * @param kind         what holds: {@code lock}, {@code intent}, {@code claim}
 * @param id           the hold's id within its kind
 * @param entity       entity address {@code kind/key} the hold is on
 * @param fencingToken the hold's fencing token (unchanged by renewal)
 * @param expiresAt    the new expiry (UTC)
 */
public record RenewedLease(String kind, String id, String entity, long fencingToken, Instant expiresAt) {
}
