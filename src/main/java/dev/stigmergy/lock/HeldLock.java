package dev.stigmergy.lock;

import java.time.Instant;

/**
 * The conflicting hold in a 409 answer ({@code hold} member of the problem).
 *
 * @param entity       entity address {@code kind/key}
 * @param holder       id of the holding agent
 * @param fencingToken its fencing token
 * @param expiresAt    end of its lease (UTC)
 */
public record HeldLock(String entity, String holder, long fencingToken, Instant expiresAt) {
}
