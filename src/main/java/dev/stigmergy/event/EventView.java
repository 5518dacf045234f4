package dev.stigmergy.event;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event as served.
 *
 * @param id          position in the log (global sequence, strictly increasing in commit order per writer)
 * @param occurredAt  when the change happened (UTC)
 * @param type        dotted event type, {@code <capability>.<transition>}, e.g. {@code entity.created}
 * @param environment environment the change belongs to, when it belongs to one
 * @param entity      entity address {@code kind/key}, when the change concerns one
 * @param agent       the agent whose call caused the change, or {@code null} for the service itself
 * @param data        the change's details, shape per type
 */
public record EventView(long id, Instant occurredAt, String type, String environment, String entity,
                        String agent, JsonNode data) {
}
