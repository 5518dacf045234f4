package dev.stigmergy.agent;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Derives agents' liveness for the agent views. Implemented above this package (by {@code lease}, which knows
 * heartbeats and every kind of hold); absent, the views carry no liveness.
 */
public interface AgentLiveness {

    /** The liveness of each of {@code agents} at {@code now}, by agent id. */
    Map<String, Liveness> of(List<String> agents, Instant now);
}
