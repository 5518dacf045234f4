package dev.stigmergy.event;

import dev.stigmergy.testing.ServiceProcess;
import dev.stigmergy.support.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged replicas share one PostgreSQL: an event committed through replica A reaches a stream on
 * replica B. B polls the log only once a minute, so only the NOTIFY from A's commit can wake it in time.
 */
class EventStreamReplicasIT {

    private static final String ADMIN = "it-admin-token";

    @Test
    void anEventWrittenThroughReplicaAReachesAStreamOnReplicaB() throws Exception {
        String url = TestDatabase.ensureDatabase(TestDatabase.NAME + "_replicas");
        Path dir = Files.createTempDirectory(Path.of("target"), "it-replicas-");
        CompletableFuture<ServiceProcess> startingA = CompletableFuture.supplyAsync(() -> start(url, dir.resolve("a")));
        CompletableFuture<ServiceProcess> startingB = CompletableFuture.supplyAsync(() -> start(url, dir.resolve("b")));
        try (ServiceProcess a = startingA.join(); ServiceProcess b = startingB.join()) {
            String env = "env-" + UUID.randomUUID().toString().substring(0, 12);
            String job = "/entities/job/" + env;
            try (SseClient streamOnB = SseClient.open(b.url(), ADMIN, "/events/stream?environment=" + env, Map.of())) {
                RestAssured.given().baseUri(a.url()).auth().oauth2(ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("name", env)).post("/environments").then().statusCode(201);
                RestAssured.given().baseUri(a.url()).auth().oauth2(ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("environment", env, "title", "t")).put(job).then().statusCode(201);

                List<SseClient.Message> events = streamOnB.awaitEvents(2, Duration.ofSeconds(20));
                assertEquals(List.of("environment.created", "entity.created"),
                        events.stream().map(SseClient.Message::event).toList());
                assertTrue(events.get(0).idAsLong() < events.get(1).idAsLong());
            }
            // and the other way round, resuming on A after the first event B saw
            try (SseClient streamOnA = SseClient.open(a.url(), ADMIN, "/events/stream?environment=" + env + "&types=entity.*",
                    Map.of("Last-Event-ID", "0"))) {
                RestAssured.given().baseUri(b.url()).auth().oauth2(ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("environment", env, "title", "t2")).put(job).then().statusCode(200);
                List<SseClient.Message> events = streamOnA.awaitEvents(2, Duration.ofSeconds(20));
                assertEquals(List.of("entity.created", "entity.updated"), events.stream().map(SseClient.Message::event).toList());
            }
        }
    }

    static ServiceProcess start(String url, Path dataDir) {
        return start(url, dataDir, ADMIN);
    }

    /** A packaged replica that polls the log once a minute, so only notifications wake it sooner. */
    static ServiceProcess start(String url, Path dataDir, String adminToken) {
        try {
            Files.createDirectories(dataDir);
            return ServiceProcess.start(Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                    "STIGMERGY_DATA_DIR", dataDir.toAbsolutePath().toString(),
                    "STIGMERGY_ADMIN_TOKEN", adminToken,
                    "STIGMERGY_EVENTS_POLL_INTERVAL_MILLIS", "60000",
                    "STIGMERGY_EVENTS_HEARTBEAT_INTERVAL_MILLIS", "1000",
                    "STIGMERGY_EVENTS_LISTEN_RECONNECT_MILLIS", "200"), dataDir.resolve("service.log"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a replica in " + dataDir, e);
        }
    }
}
