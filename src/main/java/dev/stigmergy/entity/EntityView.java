package dev.stigmergy.entity;

import java.time.Instant;

/**
 * An entity as served.
 *
 * @param kind        entity kind, e.g. {@code job}
 * @param key         key within the kind, e.g. {@code COD2-5}
 * @param address     {@code kind/key}
 * @param environment environment it belongs to
 * @param title       human-readable title
 * @param status      free lower-case word, {@code open} when created without one
 * @param createdAt   creation time (UTC)
 * @param createdBy   id of the agent that created it
 * @param updatedAt   last change of title or status (UTC)
 */
public record EntityView(String kind, String key, String address, String environment, String title, String status,
                         Instant createdAt, String createdBy, Instant updatedAt) {
}
