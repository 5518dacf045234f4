package dev.stigmergy.agent;

/**
 * Answer to a registration: the agent and its bearer token. The token is shown this once; the service
 * keeps only its hash.
 *
 * @param agent the registered agent
 * @param token the bearer token to send as {@code Authorization: Bearer <token>}
 */
public record AgentRegistration(AgentView agent, String token) {
}
