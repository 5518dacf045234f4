package dev.stigmergy.agent;

import dev.stigmergy.api.StigmergyException;

/** The agent was deactivated, so its token cannot be rotated (or its scope changed): 409. */
public class AgentDeactivatedException extends StigmergyException {

    public AgentDeactivatedException(String id) {
        super(409, "/problems/agent-deactivated", "Agent deactivated", "agent '" + id + "' was deactivated");
    }
}
