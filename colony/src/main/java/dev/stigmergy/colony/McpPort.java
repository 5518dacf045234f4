package dev.stigmergy.colony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.McpSession;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The worker port as MCP tool calls ({@code --via mcp}): one {@link McpSession} with the service's {@code /mcp}
 * endpoint per agent, with the agent's token and role. Each call is the tool that wraps the REST call {@link RestPort}
 * makes ({@code ready_work}, {@code acquire_lock}, {@code declare_intent}, …); a tool result with {@code isError}
 * becomes an {@link ApiException} carrying the problem's status and detail, as the SDK reports a REST refusal.
 */
final class McpPort implements WorkerPort {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Medium medium;
    private final McpSession mcp;
    private final LongAdder calls;

    private McpPort(Medium medium, McpSession mcp, LongAdder calls) {
        this.medium = medium;
        this.mcp = mcp;
        this.calls = calls;
    }

    /** Opens the agent's MCP session (initialize); each tool call it makes counts in {@code calls}. */
    static McpPort open(Medium medium, LongAdder calls) throws IOException {
        try {
            return new McpPort(medium, McpSession.open(medium.baseUrl(), medium.token(), medium.role()), calls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while opening the MCP session");
        }
    }

    @Override
    public List<Ready> ready(String environment, String kind, int limit) throws ApiException, IOException {
        JsonNode page = call("ready_work", Map.of("environment", environment, "kind", List.of(kind), "limit", limit));
        List<Ready> ready = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            ready.add(new Ready(item.path("entity").asText(), item.path("importance").asDouble(0)));
        }
        return ready;
    }

    @Override
    public boolean acquireLock(String entity, int leaseSeconds, String reason) throws ApiException, IOException {
        McpSession.ToolResult result = tool("acquire_lock", Map.of("entity", entity, "leaseSeconds", leaseSeconds, "reason", reason));
        if (result.isError() && result.status() == 409) {
            return false;
        }
        answer("acquire_lock", result);
        return true;
    }

    @Override
    public void releaseLock(String entity) throws ApiException, IOException {
        call("release_lock", Map.of("entity", entity));
    }

    @Override
    public Long declareIntent(String environment, String entity, List<Declared> files, String description, int priority,
                              int leaseSeconds, String baseCommit) throws ApiException, IOException {
        List<Map<String, Object>> declared = new ArrayList<>();
        for (Declared f : files) {
            Map<String, Object> file = new LinkedHashMap<>(Map.of("path", f.path(), "level", f.level()));
            if (!f.ranges().isEmpty()) {
                file.put("lineRanges", f.ranges().stream().map(r -> Map.of("start", r[0], "end", r[1])).toList());
            }
            declared.add(file);
        }
        Map<String, Object> arguments = new LinkedHashMap<>(Map.of("environment", environment, "entity", entity,
                "files", declared, "description", description, "priority", priority, "leaseSeconds", leaseSeconds,
                "mode", "all-or-nothing"));
        if (baseCommit != null) {
            arguments.put("baseCommit", baseCommit);
        }
        McpSession.ToolResult result = tool("declare_intent", arguments);
        if (result.isError() && result.status() == 409) {
            return null;
        }
        return answer("declare_intent", result).path("intent").path("id").asLong();
    }

    @Override
    public void endIntent(long intentId, boolean completed) throws ApiException, IOException {
        call(completed ? "complete_intent" : "cancel_intent", Map.of("intentId", intentId));
    }

    @Override
    public void deposit(String entity, String type, double intensity, Map<String, Object> payload) throws ApiException, IOException {
        call("deposit_pheromone", Map.of("entity", entity, "type", type, "intensity", intensity, "payload", payload));
    }

    @Override
    public List<Mark> sense(String entity) throws ApiException, IOException {
        List<Mark> marks = new ArrayList<>();
        for (JsonNode p : call("sense_entity", Map.of("entity", entity)).path("pheromones")) {
            JsonNode payload = p.get("payload");
            marks.add(new Mark(p.path("id").asLong(), p.path("type").asText(),
                    payload == null || payload.isNull() ? null : JSON.convertValue(payload, Object.class)));
        }
        return marks;
    }

    @Override
    public Map<String, Double> ranked(String type, String environment, String kind, int limit) throws ApiException, IOException {
        Map<String, Double> byEntity = new HashMap<>();
        JsonNode sensed = call("rank_entities", Map.of("type", type, "environment", environment, "kind", kind, "limit", limit));
        for (JsonNode a : sensed.path("aggregates")) {
            double total = a.path("totalIntensity").asDouble(0);
            if (total > 0) {
                byEntity.put(a.path("entity").asText(), total);
            }
        }
        return byEntity;
    }

    @Override
    public void heartbeat() throws ApiException, IOException {
        call("heartbeat", Map.of());
    }

    @Override
    public void verdict(long pheromoneId, boolean approve, String trigger) throws ApiException, IOException {
        call("give_verdict", Map.of("pheromoneId", pheromoneId, "approve", approve, "trigger", trigger));
    }

    @Override
    public void dependOn(String entity, String dependsOn) throws ApiException {
        RestPort.dependOn(medium, entity, dependsOn);
    }

    @Override
    public void close() {
        mcp.close();
    }

    private JsonNode call(String name, Map<String, ?> arguments) throws ApiException, IOException {
        return answer(name, tool(name, arguments));
    }

    private McpSession.ToolResult tool(String name, Map<String, ?> arguments) throws IOException {
        calls.increment();
        try {
            return mcp.callTool(name, arguments);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + name);
        }
    }

    // a refusal reads as the SDK's REST refusal: the problem's status, and its detail as the message
    private static JsonNode answer(String name, McpSession.ToolResult result) throws ApiException {
        if (result.isError()) {
            JsonNode problem = result.structured();
            throw new ApiException(result.status(), name + ": " + problem.path("detail").asText(problem.path("title").asText()));
        }
        return result.structured();
    }
}
