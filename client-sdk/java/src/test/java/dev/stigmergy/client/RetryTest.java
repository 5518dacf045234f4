package dev.stigmergy.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which calls {@link StigmergyClient} retries, against a stand-in server (the JDK's) that answers 503 a
 * given number of times before answering for real: no live service needed to make it fail on demand.
 */
class RetryTest {

    private HttpServer server;
    private final AtomicInteger unavailableLeft = new AtomicInteger();
    private final List<String> attempts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        attempts.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                + " " + exchange.getRequestHeaders().getFirst("Authorization")
                + " " + exchange.getRequestHeaders().getFirst(StigmergyClient.ROLE_HEADER));
        exchange.getRequestBody().readAllBytes();
        boolean unavailable = unavailableLeft.getAndDecrement() > 0;
        byte[] body = (unavailable ? "{\"status\":503}" : "{\"agents\":[]}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", unavailable ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(unavailable ? 503 : 200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private StigmergyClient client(URI url, int maxRetries) {
        return StigmergyClient.builder().baseUrl(url).token("tok").role("worker")
                .retries(maxRetries, Duration.ofMillis(10), Duration.ofMillis(40)).build();
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void aGetIsRetriedThrough503sAndCarriesTheTokenAndRoleEachTime() throws Exception {
        unavailableLeft.set(2);
        assertEquals(List.of(), client(url(), 3).agents().listAgents(null, null).getAgents());
        assertEquals(List.of("GET /agents Bearer tok worker", "GET /agents Bearer tok worker",
                "GET /agents Bearer tok worker"), attempts);
    }

    @Test
    void retriesStopAtTheLimitAndTheLast503ReachesTheCaller() {
        unavailableLeft.set(10);
        ApiException failed = assertThrows(ApiException.class, () -> client(url(), 2).agents().listAgents(null, null));
        assertEquals(503, failed.getCode());
        assertEquals(3, attempts.size(), "one call and two retries: " + attempts);
    }

    @Test
    void aPostIsSentOnce() {
        unavailableLeft.set(1);
        assertThrows(ApiException.class, () -> client(url(), 3).environments()
                .createEnvironment(new dev.stigmergy.client.model.CreateEnvironment().name("app")));
        assertEquals(1, attempts.size(), "a POST may have taken effect; it is not repeated: " + attempts);
    }

    @Test
    void renewCompleteReleaseAndHeartbeatAreRetriedThrough503s() {
        StigmergyClient client = client(url(), 3);
        for (Runnable call : List.<Runnable>of(
                () -> quietly(() -> client.agents().heartbeat()),
                () -> quietly(() -> client.locks().renewLock("job", "K-1", new dev.stigmergy.client.model.RenewLock())),
                () -> quietly(() -> client.locks().releaseLock("job", "K-1")),
                () -> quietly(() -> client.intents().renewIntent(7L, null)),
                () -> quietly(() -> client.intents().completeIntent(7L)))) {
            attempts.clear();
            unavailableLeft.set(2);
            call.run();
            assertEquals(3, attempts.size(), "two 503s, then the answer: " + attempts);
        }
    }

    @Test
    void retryAfterSetsTheDelayCappedAtTheMaximum() {
        java.net.http.HttpResponse<?> asksTwo = response(503, "2");
        assertEquals(Duration.ofSeconds(2), RetryingHttpClient.retryAfter(asksTwo, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(1), RetryingHttpClient.retryAfter(asksTwo, Duration.ofSeconds(1)));
        assertTrue(RetryingHttpClient.retryAfter(response(503, null), Duration.ofSeconds(5)).isNegative());
        assertTrue(RetryingHttpClient.retryAfter(response(502, "2"), Duration.ofSeconds(5)).isNegative());
    }

    private interface Call {
        void run() throws Exception;
    }

    /** Runs a call whose stand-in answer (an empty page of agents) the generated model may not read: only the attempts count. */
    private static void quietly(Call call) {
        try {
            call.run();
        } catch (ApiException ignored) {
            // the stand-in's body is no lock or intent
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static java.net.http.HttpResponse<?> response(int status, String retryAfter) {
        java.net.http.HttpHeaders headers = java.net.http.HttpHeaders.of(
                retryAfter == null ? java.util.Map.of() : java.util.Map.of("Retry-After", List.of(retryAfter)), (a, b) -> true);
        return new java.net.http.HttpResponse<Object>() {
            public int statusCode() { return status; }
            public java.net.http.HttpRequest request() { return null; }
            public java.util.Optional<java.net.http.HttpResponse<Object>> previousResponse() { return java.util.Optional.empty(); }
            public java.net.http.HttpHeaders headers() { return headers; }
            public Object body() { return null; }
            public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
            public URI uri() { return null; }
            public java.net.http.HttpClient.Version version() { return java.net.http.HttpClient.Version.HTTP_1_1; }
        };
    }

    @Test
    void droppedConnectionsAreRetriedThenReported() throws Exception {
        // a server that accepts each connection and closes it before answering
        AtomicInteger accepted = new AtomicInteger();
        try (ServerSocket dropping = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!dropping.isClosed()) {
                    try (Socket connection = dropping.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + dropping.getLocalPort());
            assertThrows(ApiException.class, () -> client(url, 0).agents().listAgents(null, null));
            // the JDK's client may itself try a GET twice on a dropped connection: count one call's worth
            int perCall = accepted.getAndSet(0);
            ApiException failed = assertThrows(ApiException.class, () -> client(url, 2).agents().listAgents(null, null));
            assertInstanceOf(IOException.class, failed.getCause());
            assertEquals(3 * perCall, accepted.get(), "one call and two retries");
        }
    }

    @Test
    void anUnreachableServiceIsReportedAsTheConnectFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ApiException failed = assertThrows(ApiException.class,
                () -> client(URI.create("http://127.0.0.1:" + closedPort), 1).agents().listAgents(null, null));
        assertInstanceOf(ConnectException.class, failed.getCause());
    }
}
