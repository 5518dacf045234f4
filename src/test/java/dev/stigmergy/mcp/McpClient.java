package dev.stigmergy.mcp;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A minimal Streamable HTTP MCP client for tests: JSON-RPC over POST {@code /mcp} with the bearer token and the
 * session id the server assigned at {@code initialize}. Answers may come as JSON or as one SSE event.
 */
public final class McpClient {

    static final String PROTOCOL = "2025-06-18";

    private final String token;
    private final AtomicInteger ids = new AtomicInteger();
    private String session;

    private McpClient(String token) {
        this.token = token;
    }

    /** Opens a session as the agent owning {@code token}: initialize, then notifications/initialized. */
    public static McpClient open(String token) {
        McpClient client = new McpClient(token);
        Response init = client.post(Map.of("jsonrpc", "2.0", "id", client.ids.incrementAndGet(), "method", "initialize",
                "params", Map.of("protocolVersion", PROTOCOL, "capabilities", Map.of(),
                        "clientInfo", Map.of("name", "test", "version", "1"))));
        assertEquals(200, init.statusCode(), init.asString());
        client.session = init.header("Mcp-Session-Id");
        client.post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
        return client;
    }

    /** Sends a request and answers the JSON-RPC response. */
    public JsonPath request(String method, Map<String, Object> params) {
        Response response = post(Map.of("jsonrpc", "2.0", "id", ids.incrementAndGet(), "method", method, "params", params));
        assertEquals(200, response.statusCode(), response.asString());
        return JsonPath.from(body(response));
    }

    /** Calls a tool and answers the JSON-RPC response ({@code result} or {@code error}). */
    public JsonPath call(String tool, Map<String, Object> arguments) {
        return request("tools/call", Map.of("name", tool, "arguments", arguments));
    }

    /** The session id the server assigned at initialize. */
    String session() {
        return session;
    }

    /** Lists the tools. */
    public List<Map<String, Object>> tools() {
        return request("tools/list", Map.of()).getList("result.tools");
    }

    private Response post(Map<String, Object> message) {
        RequestSpecification spec = RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                .header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", PROTOCOL);
        if (session != null) {
            spec.header("Mcp-Session-Id", session);
        }
        return spec.body(message).post("/mcp");
    }

    /** The JSON of a response, unwrapped from its {@code data:} line when the server chose an SSE stream. */
    private static String body(Response response) {
        String text = response.asString();
        String type = response.contentType();
        if (type != null && type.startsWith("text/event-stream")) {
            return text.lines().filter(l -> l.startsWith("data:")).map(l -> l.substring(5).trim())
                    .reduce((a, b) -> b).orElseThrow();
        }
        return text;
    }
}
