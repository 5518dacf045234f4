package dev.stigmergy.dashboard;

import java.util.List;

/**
 * One page of the Agents view.
 *
 * @param agents    by id; at most the limit asked for, fewer when the page reached {@link PageBudget#MAX_BYTES}
 * @param matching  how many agents match the filter in all
 * @param nextAfter pass as {@code after} for the next page; {@code null} on the last
 */
public record AgentActivityPage(List<AgentActivity> agents, long matching, String nextAfter) {
}
