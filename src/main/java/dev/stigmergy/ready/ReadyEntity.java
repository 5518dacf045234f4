package dev.stigmergy.ready;

import java.time.Instant;

/**
 * One entity the caller could take now.
 *
 * @param entity       address {@code kind/key}
 * @param kind         entity kind
 * @param key          key within the kind
 * @param title        the entity's title
 * @param status       the entity's status
 * @param createdAt    when it was created (UTC); the tie-break, oldest first
 * @param importance   summed current intensity of its visible {@code importance} pheromones at the page's
 *                     {@code at}; 0 when it has none, or when the caller's role does not read {@code importance}
 * @param heldByCaller whether the caller holds its lock (a lock of another agent leaves it out)
 * @param reason       why it ranks where it does, in words
 */
public record ReadyEntity(String entity, String kind, String key, String title, String status, Instant createdAt,
                          double importance, boolean heldByCaller, String reason) {
}
