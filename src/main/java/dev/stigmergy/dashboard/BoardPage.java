package dev.stigmergy.dashboard;

import java.time.Instant;
import java.util.List;

/**
 * One page of the Board: entities by address with their state.
 *
 * @param environment the environment
 * @param at          the instant the pheromones were sensed for (the service's clock)
 * @param cards       by address; at most the limit asked for, fewer when the page reached {@link PageBudget#MAX_BYTES}
 * @param nextAfter   pass as {@code after} for the next page; {@code null} on the last
 */
public record BoardPage(String environment, Instant at, List<BoardCard> cards, String nextAfter) {
}
