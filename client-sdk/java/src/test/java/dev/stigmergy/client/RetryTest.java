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
                + " " + exchange.getRequestHeaders().getFirst("Authorization"));
        exchange.getRequestBody().readAllBytes();
        boolean unavailable = unavailableLeft.getAndDecrement() > 0;
        byte[] body = (unavailable ? "{\"status\":503}" : "[]").getBytes(StandardCharsets.UTF_8);
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
    void aGetIsRetriedThrough503sAndCarriesTheTokenEachTime() throws Exception {
        unavailableLeft.set(2);
        assertEquals(List.of(), client(url(), 3).agents().listAgents());
        assertEquals(List.of("GET /agents Bearer tok", "GET /agents Bearer tok", "GET /agents Bearer tok"), attempts);
    }

    @Test
    void retriesStopAtTheLimitAndTheLast503ReachesTheCaller() {
        unavailableLeft.set(10);
        ApiException failed = assertThrows(ApiException.class, () -> client(url(), 2).agents().listAgents());
        assertEquals(503, failed.getCode());
        assertEquals(3, attempts.size(), "one call and two retries: " + attempts);
    }

    @Test
    void aPostIsSentOnce() {
        unavailableLeft.set(1);
        assertThrows(ApiException.class, () -> client(url(), 3).agents().heartbeat());
        assertEquals(1, attempts.size(), "a POST may have taken effect; it is not repeated: " + attempts);
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
            assertThrows(ApiException.class, () -> client(url, 0).agents().listAgents());
            // the JDK's client may itself try a GET twice on a dropped connection: count one call's worth
            int perCall = accepted.getAndSet(0);
            ApiException failed = assertThrows(ApiException.class, () -> client(url, 2).agents().listAgents());
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
                () -> client(URI.create("http://127.0.0.1:" + closedPort), 1).agents().listAgents());
        assertInstanceOf(ConnectException.class, failed.getCause());
    }
}
