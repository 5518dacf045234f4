package dev.stigmergy.event;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Streams learn of a commit from its announcement ({@link EventNotifier}), not from the reader's poll: with the
 * poll ten minutes apart, events still arrive at once, both from a write that commits in autocommit (an entity
 * {@code PUT}, one statement) and from one that commits a transaction (a lock acquire).
 */
@QuarkusTest
@TestProfile(EventAnnouncementTest.PollAlmostNever.class)
class EventAnnouncementTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class PollAlmostNever implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stigmergy.events.poll-interval-millis", "600000");
        }
    }

    @Test
    void anAutocommittedWriteAndATransactionAreAnnouncedAtOnce() {
        String env = Api.environment();
        Api.Agent agent = Api.agent();
        try (SseClient client = SseClient.open("http://localhost:" + RestAssured.port, Api.ADMIN_TOKEN,
                "/events/stream?environment=" + env + "&types=entity.created,lock.acquired", Map.of())) {
            String key = Api.job(env);
            List<SseClient.Message> created = client.awaitEvents(1, WAIT);
            assertEquals("entity.created", created.get(0).event());

            agent.call().body(Map.of("leaseSeconds", 60)).post("/entities/job/" + key + "/lock").then().statusCode(201);
            List<SseClient.Message> both = client.awaitEvents(2, WAIT);
            assertEquals(List.of("entity.created", "lock.acquired"), both.stream().map(SseClient.Message::event).toList());
        }
    }
}
