package dev.stigmergy.event;

import java.util.List;

/**
 * A page of the event log in id order.
 *
 * @param events    at most {@code limit} events with id greater than the requested {@code after}, less those of
 *                  pheromones whose type the acting role does not read
 * @param nextAfter pass as {@code after} to read on; the last id the page read (shown or not), or the requested
 *                  {@code after} when it read none
 */
public record EventPage(List<EventView> events, long nextAfter) {
}
