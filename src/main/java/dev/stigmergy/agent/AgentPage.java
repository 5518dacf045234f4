package dev.stigmergy.agent;

import java.util.List;

/**
 * A page of agents ordered by id, each with its liveness.
 *
 * @param agents    at most {@code limit} agents after the requested id
 * @param nextAfter pass as {@code after} to read the next page (the id of the page's last agent); {@code null} when
 *                  this page is the last
 */
public record AgentPage(List<AgentView> agents, String nextAfter) {
}
