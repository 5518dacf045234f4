package dev.stigmergy.event;

import dev.stigmergy.support.Await;

import dev.stigmergy.support.Api;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.MessageInfo;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge really publishes to the machine's NATS JetStream (127.0.0.1:4222, started by .ci/run), into a
 * stream and subject prefix of this run's own, and the test reads the stream back.
 */
@QuarkusTest
@TestProfile(NatsBridgeTest.WithNats.class)
class NatsBridgeTest {

    // a system property, not a static field alone: the profile and the test class may live in different class loaders
    private static final String SUFFIX = suffix();
    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class WithNats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stigmergy.nats.url", System.getenv().getOrDefault("STIGMERGY_TEST_NATS", "nats://127.0.0.1:4222"),
                    "stigmergy.nats.stream", "STIGMERGY_TEST_" + SUFFIX,
                    "stigmergy.nats.subject-prefix", "stigmergytest" + SUFFIX,
                    "stigmergy.nats.poll-interval-millis", "50");
        }
    }

    private static synchronized String suffix() {
        String key = "stigmergy.test.nats-suffix";
        if (System.getProperty(key) == null) {
            System.setProperty(key, UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        }
        return System.getProperty(key);
    }

    @Inject
    NatsBridge bridge;

    @Inject
    NatsBridgeConfig config;

    @Inject
    EventLog log;

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** One message read back: its id header and subject. */
    record Published(long id, String subject, String data) {
    }

    @AfterEach
    void bridgeRunsAgain() {
        bridge.start();
    }

    @AfterAll
    static void deleteStream() throws Exception {
        try (Connection nats = Nats.connect(new WithNats().getConfigOverrides().get("stigmergy.nats.url"))) {
            nats.jetStreamManagement().deleteStream("STIGMERGY_TEST_" + SUFFIX);
        }
    }

    @Test
    void publishesEveryEventInLogOrderAndResumesWithoutLossAfterRestart() throws Exception {
        String env = Api.environment();
        String key = Api.job(env);
        long upTo = lastId();
        await(() -> bridge.publishedUpTo() >= upTo, "the bridge published up to " + upTo);

        bridge.stop();
        Api.job(env);
        Api.job(env);
        long stoppedAt = bridge.publishedUpTo();
        long last = lastId();
        assertTrue(stoppedAt < last, "events were written while the bridge was down");

        bridge.start();
        await(() -> bridge.publishedUpTo() >= last, "the restarted bridge published up to " + last);

        List<Published> published = readBack();
        List<Long> publishedIds = published.stream().map(Published::id).toList();
        List<Long> logIds = logIds(bridge.publishedUpTo());
        assertEquals(logIds, publishedIds, "every event of the log, once each, in log order");

        List<Published> mine = published.stream().filter(p -> p.subject().contains("." + env + ".")).toList();
        assertEquals(List.of(prefix() + "." + env + "._._.environment.created",
                        prefix() + "." + env + ".job." + key + ".entity.created"),
                mine.subList(0, 2).stream().map(Published::subject).toList());
        assertEquals(4, mine.size());
        assertTrue(mine.get(0).data().contains("\"type\":\"environment.created\""), mine.get(0).data());
    }

    @Test
    void aLostPositionUpdateRepublishesButTheStreamKeepsOneCopy() throws Exception {
        String env = Api.environment();
        Api.job(env);
        long upTo = lastId();
        await(() -> bridge.publishedUpTo() >= upTo, "the bridge published up to " + upTo);
        bridge.stop();
        long position = bridge.publishedUpTo();
        // as if the service died after JetStream acknowledged the last two events but before it stored that
        try (java.sql.Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("update event_nats_position set last_event_id = ? where stream = ?")) {
            s.setLong(1, position - 2);
            s.setString(2, config.stream());
            s.executeUpdate();
        }
        Api.job(env);
        long last = lastId();
        bridge.start();
        await(() -> bridge.publishedUpTo() >= last, "the bridge caught up to " + last);
        List<Long> publishedIds = readBack().stream().map(Published::id).toList();
        assertEquals(logIds(bridge.publishedUpTo()), publishedIds, "re-published events are kept once (Nats-Msg-Id)");
    }

    private String prefix() {
        return config.subjectPrefix();
    }

    private long lastId() {
        return log.lastId();
    }

    private List<Long> logIds(long upTo) {
        List<Long> ids = new ArrayList<>();
        long after = 0;
        while (true) {
            List<EventView> page = log.readRange(after, upTo, 1000, null, null, null);
            if (page.isEmpty()) {
                return ids;
            }
            page.forEach(e -> ids.add(e.id()));
            after = page.get(page.size() - 1).id();
        }
    }

    private List<Published> readBack() throws Exception {
        try (Connection nats = Nats.connect(config.url().orElseThrow())) {
            JetStreamManagement management = nats.jetStreamManagement();
            long lastSequence = management.getStreamInfo(config.stream()).getStreamState().getLastSequence();
            List<Published> published = new ArrayList<>();
            for (long seq = 1; seq <= lastSequence; seq++) {
                MessageInfo m = management.getMessage(config.stream(), seq);
                published.add(new Published(Long.parseLong(m.getHeaders().getFirst("Nats-Msg-Id")), m.getSubject(),
                        new String(m.getData(), StandardCharsets.UTF_8)));
            }
            return published;
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(condition, WAIT, Duration.ofMillis(50), what);
    }
}
