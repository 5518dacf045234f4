package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.client.LiveService;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.PutEntity;
import dev.stigmergy.client.model.RegisterAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stig mcp} run as a process, as an MCP host starts a stdio server: newline-delimited JSON-RPC in, the
 * service's answers out, one per line, through its Streamable HTTP endpoint.
 */
class McpBridgeIT {

    private static final String PROTOCOL = "2025-06-18";

    @Test
    void initializeListToolsAndCallOneThroughTheBridge() throws Exception {
        LiveService service = LiveService.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path home = Files.createDirectories(Path.of("target", "mcp-it", run).toAbsolutePath());
        StigmergyClient admin = service.admin();
        String env = "mcp-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).repository(home.toString()));
        String agent = "mcp-alice-" + run;
        String token = admin.agents().registerAgent(new RegisterAgent().id(agent).displayName("Alice")
                .roles(List.of("worker"))).getToken();
        admin.entities().putEntity("job", "JOB-" + run, new PutEntity().environment(env).title("bridge"));

        String input = String.join("\n",
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"" + PROTOCOL
                        + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"host\",\"version\":\"1\"}}}",
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}",
                "{\"jsonrpc\":\"2.0\",\"id\":\"three\",\"method\":\"tools/call\",\"params\":{\"name\":\"acquire_lock\","
                        + "\"arguments\":{\"entity\":\"job/JOB-" + run + "\",\"leaseSeconds\":120}}}",
                "");
        StigProcess.Result result = new StigProcess(home).env("STIGMERGY_URL", service.url.toString())
                .env("STIGMERGY_TOKEN", token).runWithInput(input, "mcp");
        assertEquals(0, result.exit(), result::toString);
        List<JsonNode> answers = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : result.out().split("\n")) {
            JsonNode message = json.readTree(line); // every line of stdout is one JSON-RPC message
            assertEquals("2.0", message.path("jsonrpc").asText(), line);
            if (message.has("id")) {
                answers.add(message); // the others are the service's own notifications (log messages), relayed
            }
        }
        assertEquals(3, answers.size(), result::toString); // the notification has no answer

        assertEquals(1, answers.get(0).path("id").asInt());
        assertEquals(PROTOCOL, answers.get(0).path("result").path("protocolVersion").asText(), result::toString);
        List<String> tools = new ArrayList<>();
        answers.get(1).path("result").path("tools").forEach(t -> tools.add(t.path("name").asText()));
        assertTrue(tools.containsAll(List.of("acquire_lock", "declare_intent", "ready_work")), tools::toString);
        JsonNode call = answers.get(2);
        assertEquals("three", call.path("id").asText());
        assertEquals(false, call.path("result").path("isError").asBoolean(), call::toString);
        assertEquals(agent, call.path("result").path("structuredContent").path("lock").path("holder").asText(), call::toString);
        // the lock is real: the service holds it for the agent of the bridge's token
        assertEquals(agent, admin.locks().getLock("job", "JOB-" + run).getHolder());
    }

    @Test
    void aRefusedTokenAnswersTheRequestWithAnErrorNamingWhy() throws Exception {
        LiveService service = LiveService.shared();
        Path home = Files.createDirectories(Path.of("target", "mcp-it", UUID.randomUUID().toString()).toAbsolutePath());
        StigProcess.Result result = new StigProcess(home).env("STIGMERGY_URL", service.url.toString())
                .env("STIGMERGY_TOKEN", "stg_nobody").runWithInput("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"initialize\","
                        + "\"params\":{\"protocolVersion\":\"" + PROTOCOL + "\",\"capabilities\":{},"
                        + "\"clientInfo\":{\"name\":\"host\",\"version\":\"1\"}}}\n", "mcp");
        assertEquals(0, result.exit(), result::toString);
        JsonNode answer = new ObjectMapper().readTree(result.out());
        assertEquals(7, answer.path("id").asInt());
        assertTrue(answer.path("error").path("message").asText().contains("HTTP 401"), result::toString);
    }
}
