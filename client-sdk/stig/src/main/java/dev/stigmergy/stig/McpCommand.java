package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stigmergy.client.McpSession;
import picocli.CommandLine.Command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * {@code stig mcp}: the service's MCP endpoint ({@code /mcp}, Streamable HTTP) as a stdio MCP server, for MCP hosts
 * that only start local processes. Each newline-delimited JSON-RPC message read from standard input is POSTed to
 * {@code /mcp} with the bearer token (from the environment or the token file, as every command reads it), the
 * session id the service assigned at {@code initialize} and the negotiated protocol version; each JSON-RPC message
 * of the answer (plain JSON or Server-Sent Events) is written to standard output, one per line. Messages the
 * service sends outside a request (resource updates) arrive on the session's GET stream and are written too.
 * Standard output carries MCP messages only; diagnostics go to standard error. Ends (exit 0) when standard input
 * ends, after ending the session. A refusal of the HTTP request itself (401, 403) becomes a JSON-RPC error of that
 * request naming the problem, so the host sees why.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-06-18/basic/transports">MCP transports</a>
 */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = "Serve the service's MCP tools over stdio: a bridge to its Streamable HTTP endpoint /mcp, "
                + "for MCP hosts that only start local processes.",
        footer = {"", "Example: an MCP host's configuration (the token comes from the environment or ~/.stigmergy/token)",
                "  {\"mcpServers\": {\"stigmergy\": {\"command\": \"stig\", \"args\": [\"mcp\"],",
                "    \"env\": {\"STIGMERGY_URL\": \"http://localhost:8080\"}}}}"})
final class McpCommand extends StigCommand {

    /** JSON-RPC "internal error": what a refused or failed HTTP exchange becomes for the request it carried. */
    private static final int BRIDGE_ERROR = -32603;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpClient http;
    private URI endpoint;
    private String token;
    private String session;
    private String protocolVersion;
    private CompletableFuture<?> serverStream;
    private PrintStream stdout;

    @Override
    int run() throws Exception {
        Settings s = settings();
        endpoint = URI.create(s.url(url) + "/mcp");
        token = s.token();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        // the host reads raw UTF-8 lines; picocli's writer is left for help and errors
        stdout = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    relay(line);
                }
            }
        } finally {
            end();
        }
        return Exit.DONE;
    }

    // one message from the host: POST it, write what answers it
    private void relay(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (IOException e) {
            write(error(null, -32700, "parse error: " + e.getMessage()));
            return;
        }
        JsonNode id = message.get("id");
        boolean initialize = "initialize".equals(message.path("method").asText());
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(post(line), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            reportFailure(id, "the service at " + endpoint + " cannot be reached: " + e.getMessage());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (response.statusCode() >= 400) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = String.join("\n", lines.toList());
            }
            reportFailure(id, "HTTP " + response.statusCode() + " from " + endpoint + ": " + detail(body));
            return;
        }
        if (initialize) {
            response.headers().firstValue("Mcp-Session-Id").ifPresent(value -> session = value);
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        try (Stream<String> lines = response.body()) {
            if (type.startsWith("text/event-stream")) {
                McpSession.events(lines.iterator(), answer -> {
                    remember(initialize, answer);
                    write(answer);
                });
            } else {
                String body = String.join("", lines.toList()).trim();
                if (!body.isEmpty()) {
                    remember(initialize, body);
                    write(body);
                }
            }
        }
        if (initialize && session != null && serverStream == null) {
            listen();
        }
    }

    private HttpRequest post(String message) {
        return request().header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message, StandardCharsets.UTF_8)).build();
    }

    private HttpRequest.Builder request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + token);
        if (settings().role() != null) {
            builder.header("X-Stigmergy-Role", settings().role());
        }
        if (session != null) {
            builder.header("Mcp-Session-Id", session);
        }
        if (protocolVersion != null) {
            builder.header("MCP-Protocol-Version", protocolVersion);
        }
        return builder;
    }

    // the negotiated version, sent with every later request as the transport asks
    private void remember(boolean initialize, String answer) {
        if (initialize) {
            try {
                JsonNode version = JSON.readTree(answer).path("result").path("protocolVersion");
                if (version.isTextual()) {
                    protocolVersion = version.asText();
                }
            } catch (IOException ignored) {
                // not ours to judge: the host reads the answer
            }
        }
    }

    // the session's GET stream: what the service sends outside a request (notifications/resources/updated)
    private void listen() {
        HttpRequest get = request().header("Accept", "text/event-stream").GET().build();
        serverStream = http.sendAsync(get, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() == 200) {
                    McpSession.events(lines.iterator(), this::write);
                }
            }
        }).exceptionally(failure -> null); // the stream ends with the session or the service; requests still work
    }

    private void end() {
        if (serverStream != null) {
            serverStream.cancel(true);
        }
        if (session != null) {
            try {
                http.send(request().DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException | InterruptedException ignored) {
                // the session lapses on the service by itself
            }
        }
        stdout.flush();
    }

    private void reportFailure(JsonNode id, String why) {
        if (id == null || id.isNull()) {
            System.err.println("stig mcp: " + why); // a notification has no answer to carry it
        } else {
            write(error(id, BRIDGE_ERROR, why));
        }
    }

    private static String detail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            return problem.path("detail").asText(problem.path("title").asText(body));
        } catch (IOException notJson) {
            return body;
        }
    }

    private static String error(JsonNode id, int code, String message) {
        ObjectNode error = JsonNodeFactory.instance.objectNode().put("jsonrpc", "2.0");
        error.set("id", id == null ? JsonNodeFactory.instance.nullNode() : id);
        error.putObject("error").put("code", code).put("message", message);
        return error.toString();
    }

    // one message per line: a message's own newlines (pretty JSON) would split it
    private synchronized void write(String message) {
        String line = message.indexOf('\n') < 0 ? message : compact(message);
        stdout.print(line);
        stdout.print('\n');
        stdout.flush();
    }

    private static String compact(String message) {
        try {
            return JSON.readTree(message).toString();
        } catch (IOException e) {
            return message.replace('\n', ' ');
        }
    }
}
