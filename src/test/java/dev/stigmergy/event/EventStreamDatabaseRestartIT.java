package dev.stigmergy.event;

import dev.stigmergy.support.Await;

import dev.stigmergy.testing.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream survives a restart of PostgreSQL without a restart of the service: the listener reconnects and
 * listens again, and the open stream receives events written after the restart. The database is a PostgreSQL
 * of this test's own (zonky binaries, fixed port), never the machine's.
 */
class EventStreamDatabaseRestartIT {

    private static final String ADMIN = "it-admin-token";

    @Test
    void anOpenStreamReceivesEventsAfterPostgresRestarts() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "it-pg-restart-");
        Path pgData = dir.resolve("pgdata");
        int port = freePort();
        EmbeddedPostgres postgres = startPostgres(pgData, port);
        try {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            try (ServiceProcess service = EventStreamReplicasIT.start(url, dir.resolve("service"));
                 SseClient stream = SseClient.open(service.url(), ADMIN, "/events/stream?types=environment.*", Map.of())) {
                createEnvironment(service, "before-restart");
                stream.awaitEvents(1, Duration.ofSeconds(20));

                postgres.close();
                postgres = startPostgres(pgData, port);

                // the pool may hand out a connection that died with the old server: retry, bounded
                Await.until(() -> createEnvironment(service, "after-restart") == 201, Duration.ofSeconds(60),
                        Duration.ofMillis(200), "the service writes again after the restart");
                List<SseClient.Message> events = stream.awaitEvents(2, Duration.ofSeconds(30));
                assertEquals(List.of("environment.created", "environment.created"),
                        events.stream().map(SseClient.Message::event).toList());
                assertTrue(events.get(1).data().contains("after-restart"), events.get(1).data());
                assertFalse(stream.ended(), "the same stream stayed open");
            }
        } finally {
            postgres.close();
        }
    }

    private static int createEnvironment(ServiceProcess service, String name) {
        try {
            return RestAssured.given().baseUri(service.url()).auth().oauth2(ADMIN).contentType(ContentType.JSON)
                    .body(Map.of("name", name)).post("/environments").statusCode();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static EmbeddedPostgres startPostgres(Path pgData, int port) throws IOException {
        Files.createDirectories(pgData);
        return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false)
                .setPort(port).setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("listen_addresses", "127.0.0.1").start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
