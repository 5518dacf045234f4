package dev.stigmergy.colony;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.client.ApiClient;
import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.api.AgentsApi;
import dev.stigmergy.client.api.EntitiesApi;
import dev.stigmergy.client.api.EnvironmentsApi;
import dev.stigmergy.client.api.IntentsApi;
import dev.stigmergy.client.api.LocksApi;
import dev.stigmergy.client.api.PheromonesApi;
import dev.stigmergy.client.model.RegisterAgent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * One agent's connection to the service: the generated Java client's APIs, authenticated by the agent's
 * bearer token and acting in one of its roles ({@code X-Stigmergy-Role}). Agents of the colony talk to each
 * other only through this.
 *
 * @param agentId the token's agent
 * @param role    the role every call acts in
 */
record Medium(String agentId, String role, ApiClient client, AgentsApi agents, EnvironmentsApi environments,
              EntitiesApi entities, PheromonesApi pheromones, LocksApi locks, IntentsApi intents) {

    /** Opens a connection for the agent holding {@code token}, acting as {@code role}. */
    static Medium of(URI baseUrl, String agentId, String token, String role) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUrl.toString().replaceAll("/+$", ""));
        client.setConnectTimeout(Duration.ofSeconds(5));
        client.setReadTimeout(Duration.ofSeconds(30));
        client.setRequestInterceptor(request -> {
            request.header("Authorization", "Bearer " + token);
            request.header("X-Stigmergy-Role", role);
            // the generated calls whose success has no body ask for problem+json only, which the service refuses (406)
            request.setHeader("Accept", "application/json, application/problem+json");
        });
        return new Medium(agentId, role, client, new AgentsApi(client), new EnvironmentsApi(client),
                new EntitiesApi(client), new PheromonesApi(client), new LocksApi(client), new IntentsApi(client));
    }

    /**
     * Registers a new agent (this connection must act as admin) and answers a connection for it.
     * The generated {@code registerAgent} drops the 201 body, which carries the token shown only once,
     * so this one call reads the body itself.
     *
     * @throws ApiException the service refused (its status and problem body)
     */
    Medium register(String id, String displayName, List<String> roles, String actingRole) throws ApiException {
        try {
            byte[] body = client.getObjectMapper().writeValueAsBytes(new RegisterAgent().id(id).displayName(displayName).roles(roles));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(client.getBaseUri() + "/agents"))
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .timeout(client.getReadTimeout())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            client.getRequestInterceptor().accept(request);
            HttpResponse<String> response = client.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new ApiException(response.statusCode(), "registering agent " + id + " failed",
                        response.headers(), response.body());
            }
            JsonNode registered = client.getObjectMapper().readTree(response.body());
            return of(URI.create(client.getBaseUri()), id, registered.path("token").asText(), actingRole);
        } catch (IOException e) {
            throw new ApiException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(e);
        }
    }
}
