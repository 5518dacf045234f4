package dev.stigmergy.agent;

/**
 * The calling agent.
 *
 * @param agent      the token's agent
 * @param actingRole the role this call acts as ({@code X-Stigmergy-Role}, default the first role)
 */
public record CurrentAgent(AgentView agent, String actingRole) {
}
