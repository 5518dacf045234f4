package dev.stigmergy.event;

import dev.stigmergy.testing.ServiceProcess;
import dev.stigmergy.support.Await;
import dev.stigmergy.support.TestDatabase;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged service publishes to NATS JetStream, is stopped, events commit while it is down, and after
 * a restart it resumes from the position stored in PostgreSQL: the stream holds every event of the log once,
 * in log order.
 */
class NatsBridgeRestartIT {

    private static final String ADMIN = "it-admin-token";
    private static final String NATS = System.getenv().getOrDefault("STIGMERGY_TEST_NATS", "nats://127.0.0.1:4222");

    @Test
    void aRestartedServiceResumesPublishingWithoutLoss() throws Exception {
        String url = TestDatabase.ensureDatabase(TestDatabase.NAME + "_nats");
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String stream = "STIGMERGY_IT_" + suffix;
        Path dir = Files.createTempDirectory(Path.of("target"), "it-nats-");
        Map<String, String> env = new HashMap<>(Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                "STIGMERGY_DATA_DIR", dir.toAbsolutePath().toString(),
                "STIGMERGY_ADMIN_TOKEN", ADMIN,
                "STIGMERGY_NATS_URL", NATS,
                "STIGMERGY_NATS_STREAM", stream,
                "STIGMERGY_NATS_SUBJECT_PREFIX", "stigmergyit" + suffix));
        try {
            try (ServiceProcess service = ServiceProcess.start(env, dir.resolve("service.log"))) {
                RestAssured.given().baseUri(service.url()).auth().oauth2(ADMIN).contentType(ContentType.JSON)
                        .body(Map.of("name", "env-" + suffix)).post("/environments").then().statusCode(201);
                long last = lastId(url);
                awaitPosition(url, stream, last);
                service.stop();
            }
            // events that commit while no bridge runs
            try (java.sql.Connection c = DriverManager.getConnection(url, "postgres", "");
                 Statement s = c.createStatement()) {
                for (int i = 0; i < 3; i++) {
                    s.execute("insert into event (occurred_at, type, environment) values (now(), 'test.offline', 'env-" + suffix + "')");
                }
            }
            long last = lastId(url);
            assertTrue(position(url, stream) < last);
            try (ServiceProcess service = ServiceProcess.start(env, dir.resolve("service.log"))) {
                awaitPosition(url, stream, last);
                service.stop();
            }
            assertEquals(logIds(url, last), streamIds(stream), "every event once, in log order");
        } finally {
            try (Connection nats = Nats.connect(NATS)) {
                nats.jetStreamManagement().deleteStream(stream);
            }
        }
    }

    private static void awaitPosition(String url, String stream, long id) {
        Await.until(() -> position(url, stream) >= id, Duration.ofSeconds(60), Duration.ofMillis(100),
                "the bridge published up to " + id);
    }

    private static long position(String url, String stream) {
        try (java.sql.Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement s = c.prepareStatement("select last_event_id from event_nats_position where stream = ?")) {
            s.setString(1, stream);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot read the bridge's position", e);
        }
    }

    private static long lastId(String url) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery("select coalesce(max(id), 0) from event")) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<Long> logIds(String url, long upTo) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (java.sql.Connection c = DriverManager.getConnection(url, "postgres", "");
             PreparedStatement s = c.prepareStatement("select id from event where id <= ? order by id")) {
            s.setLong(1, upTo);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        return ids;
    }

    private static List<Long> streamIds(String stream) throws Exception {
        try (Connection nats = Nats.connect(NATS)) {
            JetStreamManagement management = nats.jetStreamManagement();
            long lastSequence = management.getStreamInfo(stream).getStreamState().getLastSequence();
            List<Long> ids = new ArrayList<>();
            for (long seq = 1; seq <= lastSequence; seq++) {
                ids.add(Long.parseLong(management.getMessage(stream, seq).getHeaders().getFirst("Nats-Msg-Id")));
            }
            return ids;
        }
    }
}
