package dev.stigmergy.caller;

import java.util.List;
import java.util.Set;

/**
 * An agent identity resolved from a bearer token: what a {@link Caller} is made of.
 */
public interface Identity {

    /** The token's agent. */
    String agentId();

    /** Every role the agent declared at registration, in declared order. */
    List<String> roles();

    /** The role the call acts as: the requested one, or the agent's first role. */
    String actingRole();

    /** The environments the agent may reach, or {@code null} for every one (issue 27). */
    Set<String> environments();
}
