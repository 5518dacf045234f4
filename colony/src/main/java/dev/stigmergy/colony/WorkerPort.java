package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The coordination calls of the colony's workers and validator, one method per call: the worker port. Two
 * implementations make the same calls through two doors of the service: {@link RestPort} through the Java SDK's REST
 * client, {@link McpPort} as tool calls on the service's MCP endpoint ({@code --via mcp}). A refusal the caller acts
 * on comes back as the SDK's {@link ApiException} with the HTTP status of the problem (409 held or denied, 404 gone)
 * in both, so the workers' logic does not know which door it uses.
 */
interface WorkerPort extends AutoCloseable {

    /** Which door the workers use. */
    enum Via { REST, MCP }

    /** A ready job as the ready query ranks it: its entity address and summed current importance. */
    record Ready(String entity, double importance) {
    }

    /**
     * A file to declare an intent on.
     *
     * @param ranges 1-based inclusive line ranges {@code [start, end]}; empty for the whole file
     */
    record Declared(String path, int level, List<int[]> ranges) {
    }

    /** A pheromone sensed on an entity: its id (the target of a verdict), type and JSON payload as a map or null. */
    record Mark(long id, String type, Object payload) {
    }

    /** The best ready entities of {@code kind} in the environment, at most {@code limit}. */
    List<Ready> ready(String environment, String kind, int limit) throws ApiException, IOException;

    /** Takes the lock on {@code entity}; false when another agent holds it (409). */
    boolean acquireLock(String entity, int leaseSeconds, String reason) throws ApiException, IOException;

    /** Releases the caller's lock; 404/409 (lapsed, another's now) as an {@link ApiException}. */
    void releaseLock(String entity) throws ApiException, IOException;

    /**
     * Declares an all-or-nothing intent under {@code entity}; answers its id, or {@code null} when another agent's
     * live intent holds those lines (409).
     */
    Long declareIntent(String environment, String entity, List<Declared> files, String description, int priority,
                       int leaseSeconds, String baseCommit) throws ApiException, IOException;

    /** Completes ({@code completed}) or cancels the caller's intent; 404/409 as an {@link ApiException}. */
    void endIntent(long intentId, boolean completed) throws ApiException, IOException;

    /** Deposits a signal of {@code type} on {@code entity} as the caller. */
    void deposit(String entity, String type, double intensity, Map<String, Object> payload) throws ApiException, IOException;

    /** The pheromones on {@code entity} the caller's role senses. */
    List<Mark> sense(String entity) throws ApiException, IOException;

    /** Entities of the environment and kind with a current total of {@code type} above 0, and that total. */
    Map<String, Double> ranked(String type, String environment, String kind, int limit) throws ApiException, IOException;

    /** Renews every lease the caller holds. */
    void heartbeat() throws ApiException, IOException;

    /** Approves or rejects a pheromone (the validator's verdict). */
    void verdict(long pheromoneId, boolean approve, String trigger) throws ApiException, IOException;

    /**
     * Links {@code entity} to an entity it depends on (a worker's fall back to the file-level order). The MCP
     * endpoint has no tool for {@code depends-on} links (they are the scout's, who works over REST), so this one call
     * goes over REST in both ports.
     */
    void dependOn(String entity, String dependsOn) throws ApiException, IOException;

    /** Ends the port's session, if it has one. */
    @Override
    void close();
}
