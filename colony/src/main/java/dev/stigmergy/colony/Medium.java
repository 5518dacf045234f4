package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.api.AgentsApi;
import dev.stigmergy.client.api.DependenciesApi;
import dev.stigmergy.client.api.EntitiesApi;
import dev.stigmergy.client.api.EnvironmentsApi;
import dev.stigmergy.client.api.IntentsApi;
import dev.stigmergy.client.api.LocksApi;
import dev.stigmergy.client.api.PheromonesApi;
import dev.stigmergy.client.api.ReadyApi;
import dev.stigmergy.client.model.RegisterAgent;

import java.net.URI;
import java.util.List;

/**
 * One agent's connection to the service: the Java SDK's {@link StigmergyClient}, authenticated by the agent's
 * bearer token and acting in one of its roles. Agents of the colony talk to each other only through this.
 *
 * @param agentId the token's agent
 * @param token   the agent's bearer token (an MCP session of the agent sends it too)
 * @param role    the role every call acts in
 * @param client  the SDK client
 */
record Medium(URI baseUrl, String agentId, String token, String role, StigmergyClient client) {

    /** Opens a connection for the agent holding {@code token}, acting as {@code role}. */
    static Medium of(URI baseUrl, String agentId, String token, String role) {
        return new Medium(baseUrl, agentId, token, role, StigmergyClient.builder().baseUrl(baseUrl).token(token).role(role).build());
    }

    /**
     * Loads and runs, once, what the first calls of a run will: the SDK's client and its JSON mapping of the requests
     * that come before the first published job. The command does this while the service starts; on a cold JVM it
     * took a good part of a second after the service answered.
     */
    static void warmUp(URI baseUrl) {
        try {
            var mapper = of(baseUrl, "warm-up", "warm-up", "admin").client().apiClient().getObjectMapper();
            mapper.writeValueAsString(new dev.stigmergy.client.model.CreateEnvironment().name("warm-up").repository("/"));
            mapper.writeValueAsString(new RegisterAgent().id("warm-up").displayName("warm-up").roles(List.of("scout")));
            mapper.writeValueAsString(new dev.stigmergy.client.model.PutEntity().environment("warm-up").title("warm-up"));
            mapper.writeValueAsString(new dev.stigmergy.client.model.Deposit().type("importance").intensity(1.0)
                    .payload(java.util.Map.of("commit", "0")));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // only a warm-up: the real calls report their own errors
        }
    }

    /**
     * Registers a new agent (this connection must act as admin) and answers a connection for it, acting as
     * {@code actingRole}.
     *
     * @throws ApiException the service refused (its status and problem body)
     */
    Medium register(String id, String displayName, List<String> roles, String actingRole) throws ApiException {
        String token = client.agents().registerAgent(new RegisterAgent().id(id).displayName(displayName).roles(roles)).getToken();
        return of(baseUrl, id, token, actingRole);
    }

    /**
     * The worker port of this agent through {@code via}: the SDK's REST calls, or tool calls in an MCP session,
     * each counted in {@code toolCalls}.
     */
    WorkerPort port(WorkerPort.Via via, java.util.concurrent.atomic.LongAdder toolCalls) throws java.io.IOException {
        return via == WorkerPort.Via.MCP ? McpPort.open(this, toolCalls) : new RestPort(this);
    }

    AgentsApi agents() {
        return client.agents();
    }

    EnvironmentsApi environments() {
        return client.environments();
    }

    EntitiesApi entities() {
        return client.entities();
    }

    PheromonesApi pheromones() {
        return client.pheromones();
    }

    LocksApi locks() {
        return client.locks();
    }

    IntentsApi intents() {
        return client.intents();
    }

    DependenciesApi dependencies() {
        return client.dependencies();
    }

    ReadyApi ready() {
        return client.ready();
    }
}
