package dev.stigmergy.event;

import java.util.List;

/**
 * A page of the event log in id order.
 *
 * @param events    at most {@code limit} events with id greater than the requested {@code after}
 * @param nextAfter pass as {@code after} to read on; equals the last event's id, or the requested
 *                  {@code after} when the page is empty
 */
public record EventPage(List<EventView> events, long nextAfter) {
}
