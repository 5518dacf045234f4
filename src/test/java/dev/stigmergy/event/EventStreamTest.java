package dev.stigmergy.event;

import dev.stigmergy.support.Api;
import dev.stigmergy.support.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EventStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static SseClient stream(String query) {
        return stream(query, Map.of());
    }

    private static SseClient stream(String query, Map<String, String> headers) {
        return SseClient.open("http://localhost:" + RestAssured.port, Api.ADMIN_TOKEN, "/events/stream" + query, headers);
    }

    private static List<Long> ids(List<SseClient.Message> events) {
        return events.stream().map(SseClient.Message::idAsLong).toList();
    }

    /** Ids of the environment's events in the log, in order. */
    private static List<Long> logIds(String env) {
        List<Integer> ids = asAdmin().queryParam("environment", env).queryParam("limit", 1000).get("/events")
                .then().statusCode(200).extract().path("events.id");
        return ids.stream().map(Integer::longValue).toList();
    }

    @Test
    void liveEventsArriveFilteredBySelectorAndEnvironment() {
        String env = Api.environment();
        String other = Api.environment();
        try (SseClient client = stream("?environment=" + env + "&types=entity.*")) {
            String first = Api.job(env);
            Api.job(other);
            String second = Api.job(env);
            List<SseClient.Message> events = client.awaitEvents(2, WAIT);
            assertEquals(List.of("entity.created", "entity.created"), events.stream().map(SseClient.Message::event).toList());
            assertTrue(events.get(0).data().contains("job/" + first), events.get(0).data());
            assertTrue(events.get(1).data().contains("job/" + second), events.get(1).data());
            assertTrue(events.get(0).idAsLong() < events.get(1).idAsLong());
            assertTrue(events.get(0).data().contains("\"environment\":\"" + env + "\""));
        }
    }

    @Test
    void streamFiltersByEntityAndAgent() {
        String env = Api.environment();
        Api.Agent agent = Api.agent();
        String key = Api.job(env);
        try (SseClient byEntity = stream("?entity=job/" + key);
             SseClient byAgent = stream("?agent=" + agent.id())) {
            Api.job(env);
            agent.call().body(Map.of("environment", env, "title", "renamed")).put("/entities/job/" + key).then().statusCode(200);
            List<SseClient.Message> entityEvents = byEntity.awaitEvents(1, WAIT);
            List<SseClient.Message> agentEvents = byAgent.awaitEvents(1, WAIT);
            assertEquals("entity.updated", entityEvents.get(0).event());
            assertEquals(entityEvents.get(0).id(), agentEvents.get(0).id());
        }
    }

    @Test
    void resumeWithLastEventIdHeaderReplaysExactlyTheMissedEventsThenLive() {
        String env = Api.environment();
        Api.job(env);
        Api.job(env);
        Api.job(env);
        List<Long> before = logIds(env);
        assertEquals(4, before.size());
        try (SseClient client = stream("?environment=" + env, Map.of("Last-Event-ID", before.get(1).toString()))) {
            client.awaitEvents(2, WAIT);
            Api.job(env);
            List<SseClient.Message> events = client.awaitEvents(3, WAIT);
            List<Long> all = logIds(env);
            assertEquals(all.subList(2, 5), ids(events));
            // a later event proves nothing else was queued in between
            Api.job(env);
            assertEquals(logIds(env).subList(2, 6), ids(client.awaitEvents(4, WAIT)));
        }
    }

    @Test
    void aReplayOfManyEventsArrivesWholeInOrderAndFramedOneByOne() throws Exception {
        // queued events leave in shared writes: each must still parse as its own SSE event
        String env = Api.environment();
        for (int i = 0; i < 60; i++) {
            Api.job(env);
        }
        List<Long> logged = logIds(env);
        try (SseClient client = stream("?environment=" + env, Map.of("Last-Event-ID", "0"))) {
            List<SseClient.Message> events = client.awaitEvents(logged.size(), WAIT);
            assertEquals(logged, ids(events));
            for (SseClient.Message event : events) {
                JsonNode data = JSON.readTree(event.data());
                assertEquals(event.idAsLong(), data.get("id").asLong(), event.toString());
                assertEquals(event.event(), data.get("type").asText(), event.toString());
                assertEquals(env, data.get("environment").asText(), event.toString());
            }
            List<String> comments = client.comments();
            assertEquals("subscribed", comments.get(0));
            assertTrue(comments.stream().skip(1).allMatch("heartbeat"::equals), comments.toString());
        }
    }

    @Test
    void resumeWithLastEventIdQueryParameterReplaysWithSelectors() {
        String env = Api.environment();
        Api.job(env);
        List<Long> ids = logIds(env);
        try (SseClient client = stream("?environment=" + env + "&types=environment.*&lastEventId=" + (ids.get(0) - 1))) {
            List<SseClient.Message> events = client.awaitEvents(1, WAIT);
            assertEquals("environment.created", events.get(0).event());
            assertEquals(ids.get(0), events.get(0).idAsLong());
        }
    }

    @Test
    void headerWinsOverQueryParameter() {
        String env = Api.environment();
        Api.job(env);
        List<Long> ids = logIds(env);
        try (SseClient client = stream("?environment=" + env + "&lastEventId=0", Map.of("Last-Event-ID", ids.get(0).toString()))) {
            assertEquals(List.of(ids.get(1)), ids(client.awaitEvents(1, WAIT)));
        }
    }

    @Test
    void aLateCommitIsDeliveredInIdOrderBeforeLaterEvents() throws Exception {
        String env = Api.environment();
        try (SseClient client = stream("?environment=" + env);
             Connection c = DriverManager.getConnection(TestDatabase.server() + TestDatabase.NAME, "postgres", "")) {
            c.setAutoCommit(false);
            long late = insertEvent(c, env);
            Api.job(env);
            long committed = logIds(env).get(1);
            assertTrue(late < committed);
            c.commit();
            assertEquals(List.of(late, committed), ids(client.awaitEvents(2, WAIT)));
        }
    }

    /**
     * The test profile's gap timeout is 15 s: delivery within 8 s shows the hole was resolved as rolled back early,
     * although a read-only transaction opened before the hole stays open throughout (only writers can hold an id).
     */
    @Test
    void aRolledBackIdIsSkippedOnceItsTransactionHasEndedWhileReadersStayOpen() throws Exception {
        String env = Api.environment();
        try (SseClient client = stream("?environment=" + env);
             Connection reader = DriverManager.getConnection(TestDatabase.server() + TestDatabase.NAME, "postgres", "");
             Connection c = DriverManager.getConnection(TestDatabase.server() + TestDatabase.NAME, "postgres", "")) {
            reader.setAutoCommit(false);
            try (Statement s = reader.createStatement()) {
                s.execute("select count(*) from event");
            }
            c.setAutoCommit(false);
            insertEvent(c, env);
            Api.job(env);
            c.rollback();
            List<SseClient.Message> events = client.awaitEvents(1, Duration.ofSeconds(8));
            assertEquals("entity.created", events.get(0).event());
            reader.rollback();
        }
    }

    @Test
    void idleStreamReceivesHeartbeatComments() {
        try (SseClient client = stream("?types=no.such.type")) {
            client.await(c -> c.comments().contains("heartbeat"), WAIT, "a heartbeat comment");
            assertEquals("subscribed", client.comments().get(0));
        }
    }

    @Test
    void malformedSelectorAnswers400Problem() {
        asAdmin().queryParam("types", "pheromone.*,lock..released").get("/events/stream")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-selector"))
                .body("detail", containsString("lock..released"))
                .body("selector", equalTo("lock..released")).body("position", equalTo(6)).body("segment", equalTo(2));
    }

    @Test
    void negativeLastEventIdAnswers400Problem() {
        asAdmin().header("Last-Event-ID", "-1").get("/events/stream")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("non-negative"));
        asAdmin().queryParam("lastEventId", "-5").get("/events/stream")
                .then().statusCode(400).contentType("application/problem+json");
        asAdmin().queryParam("lastEventId", "abc").get("/events/stream")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void streamNeedsABearerToken() {
        RestAssured.given().get("/events/stream").then().statusCode(401);
    }

    private static long insertEvent(Connection c, String env) throws Exception {
        try (PreparedStatement s = c.prepareStatement(
                "with tx as materialized (select pg_current_xact_id()) "
                        + "insert into event (occurred_at, type, environment) select now(), 'test.late', ? from tx returning id")) {
            s.setString(1, env);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }
}
