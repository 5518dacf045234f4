package dev.stigmergy.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One agent's session with the service's MCP endpoint ({@code /mcp}, Streamable HTTP): {@link #open} initializes it
 * (protocol {@value #PROTOCOL_VERSION}, the session id the service assigns), {@link #callTool} makes a tool call, and
 * {@link #close} ends the session. Each request is one POST with the bearer token, the optional
 * {@code X-Stigmergy-Role}, the session id and the negotiated protocol version; its answer is read whether the
 * service sends plain JSON or Server-Sent Events. A session is thread-safe: calls of several threads go out
 * concurrently, each with its own JSON-RPC id.
 *
 * <pre>{@code
 * try (McpSession mcp = McpSession.open(URI.create("http://localhost:8080"), token, "worker")) {
 *     McpSession.ToolResult lock = mcp.callTool("acquire_lock", Map.of("entity", "job/COD2-5", "leaseSeconds", 30));
 *     if (lock.isError()) { ... lock.structured().path("holder") ... }   // refused: the REST problem document
 * }
 * }</pre>
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-06-18/basic/transports">MCP transports</a>
 */
public final class McpSession implements AutoCloseable {

    /** The protocol revision this client asks for. */
    public static final String PROTOCOL_VERSION = "2025-06-18";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A tool's answer.
     *
     * @param isError    true when the service refused the call (409 held, 403 outside the role's slice, 404): then
     *                   {@code structured} is the problem document REST would answer ({@code status}, {@code type},
     *                   {@code detail}, the holder and more)
     * @param structured the tool's structured content, the record the REST call answers; never {@code null}
     *                   (a missing node when the tool sent none)
     */
    public record ToolResult(boolean isError, JsonNode structured) {

        /** The HTTP status of a refusal ({@code structured.status}), 0 for a result that is not an error. */
        public int status() {
            return isError ? structured.path("status").asInt(0) : 0;
        }
    }

    /**
     * The service did not answer a request as MCP: a JSON-RPC error (bad arguments are {@code -32602} naming the
     * field) or a refused HTTP exchange (401 without a valid token, 403 for a foreign {@code Origin}).
     */
    public static final class McpException extends IOException {

        private final int code;

        McpException(int code, String message) {
            super(message);
            this.code = code;
        }

        /** The JSON-RPC error code, or the HTTP status when the exchange itself was refused. */
        public int code() {
            return code;
        }
    }

    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private final String role;
    private final AtomicLong ids = new AtomicLong();
    private volatile String session;
    private volatile String protocolVersion;

    private McpSession(HttpClient http, URI endpoint, String token, String role) {
        this.http = http;
        this.endpoint = endpoint;
        this.authorization = "Bearer " + Objects.requireNonNull(token, "token");
        this.role = role;
    }

    /**
     * Opens and initializes a session with {@code <baseUrl>/mcp}.
     *
     * @param role the role every call acts as ({@code X-Stigmergy-Role}); {@code null} for the agent's first role
     * @throws McpException the service refused the exchange or the initialization
     */
    public static McpSession open(URI baseUrl, String token, String role) throws IOException, InterruptedException {
        String base = baseUrl.toString();
        URI endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/mcp");
        McpSession mcp = new McpSession(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                endpoint, token, role);
        ObjectNode params = JSON.createObjectNode().put("protocolVersion", PROTOCOL_VERSION);
        params.putObject("capabilities");
        params.putObject("clientInfo").put("name", "stigmergy-java-client").put("version", "0.1.0");
        JsonNode result = mcp.request("initialize", params);
        mcp.protocolVersion = result.path("protocolVersion").asText(PROTOCOL_VERSION);
        mcp.notify("notifications/initialized");
        return mcp;
    }

    /**
     * Calls a tool.
     *
     * @param arguments the tool's arguments, any value Jackson writes as a JSON object (a map, a record)
     * @return its result; a refusal the agent can act on is a result with {@code isError}
     * @throws McpException bad arguments, an unknown tool, or a refused exchange
     */
    public ToolResult callTool(String name, Object arguments) throws IOException, InterruptedException {
        ObjectNode params = JSON.createObjectNode().put("name", name);
        params.set("arguments", JSON.valueToTree(arguments));
        JsonNode result = request("tools/call", params);
        return new ToolResult(result.path("isError").asBoolean(false), result.path("structuredContent"));
    }

    /**
     * Sends one JSON-RPC request and answers its {@code result}.
     *
     * @throws McpException a JSON-RPC error answered it, or the HTTP exchange was refused
     */
    public JsonNode request(String method, JsonNode params) throws IOException, InterruptedException {
        long id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        if (params != null) {
            message.set("params", params);
        }
        HttpResponse<Stream<String>> response = http.send(post(message.toString()), HttpResponse.BodyHandlers.ofLines());
        JsonNode[] answer = new JsonNode[1];
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() >= 400) {
                throw new McpException(response.statusCode(), "HTTP " + response.statusCode() + " from " + endpoint + ": "
                        + String.join("\n", lines.toList()));
            }
            if (session == null) {
                response.headers().firstValue("Mcp-Session-Id").ifPresent(value -> session = value);
            }
            Consumer<String> read = text -> {
                try {
                    JsonNode node = JSON.readTree(text);
                    if (node.path("id").asLong(-1) == id) {
                        answer[0] = node;
                    }
                } catch (IOException notJson) {
                    // not a message of this request; its answer is still to come
                }
            };
            if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
                Iterator<String> stream = lines.iterator();
                // read up to this request's response: the stream may stay open for more of the server's messages
                events(new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return answer[0] == null && stream.hasNext();
                    }

                    @Override
                    public String next() {
                        return stream.next();
                    }
                }, read);
            } else {
                read.accept(String.join("", lines.toList()));
            }
        }
        if (answer[0] == null) {
            throw new McpException(-32603, method + ": the service's answer carried no response to request " + id);
        }
        JsonNode error = answer[0].get("error");
        if (error != null) {
            throw new McpException(error.path("code").asInt(), method + ": " + error.path("message").asText());
        }
        return answer[0].path("result");
    }

    private void notify(String method) throws IOException, InterruptedException {
        String message = JSON.createObjectNode().put("jsonrpc", "2.0").put("method", method).toString();
        HttpResponse<Void> response = http.send(post(message), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() >= 400) {
            throw new McpException(response.statusCode(), "HTTP " + response.statusCode() + " from " + endpoint + " on " + method);
        }
    }

    private HttpRequest post(String message) {
        return request().header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.UTF_8)).build();
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).header("Authorization", authorization);
        if (role != null) {
            builder.header(StigmergyClient.ROLE_HEADER, role);
        }
        if (session != null) {
            builder.header("Mcp-Session-Id", session);
        }
        if (protocolVersion != null) {
            builder.header("MCP-Protocol-Version", protocolVersion);
        }
        return builder;
    }

    /** Ends the session on the service (it would lapse by itself otherwise). */
    @Override
    public void close() {
        if (session == null) {
            return;
        }
        try {
            http.send(request().DELETE().build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the session lapses on the service by itself
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads Server-Sent Events: each event's {@code data:} lines joined by newlines are one message, handed to
     * {@code message} as the event ends (or the stream does).
     */
    public static void events(Iterator<String> lines, Consumer<String> message) {
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    message.accept(data.toString());
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
        if (!data.isEmpty()) {
            message.accept(data.toString());
        }
    }
}
