package dev.stigmergy.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.support.Api;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Deposit and heartbeat requests through the machine's NATS (127.0.0.1:4222), on a subject prefix of this run's
 * own, answered as REST answers them.
 */
@QuarkusTest
@TestProfile(NatsRequestsTest.WithNats.class)
class NatsRequestsTest {

    private static final String PREFIX = "stgreq" + suffix();
    private static final ObjectMapper JSON = new ObjectMapper();

    public static class WithNats implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stigmergy.nats.url", url(),
                    "stigmergy.nats.stream", "STIGMERGY_REQ_TEST_" + suffix(),
                    "stigmergy.nats.subject-prefix", "stgreq" + suffix());
        }
    }

    private static Connection client;

    private static String url() {
        return System.getenv().getOrDefault("STIGMERGY_TEST_NATS", "nats://127.0.0.1:4222");
    }

    // a system property: the profile and the test may live in different class loaders
    private static synchronized String suffix() {
        String key = "stigmergy.test.nats-requests-suffix";
        if (System.getProperty(key) == null) {
            System.setProperty(key, UUID.randomUUID().toString().replace("-", "").substring(0, 10));
        }
        return System.getProperty(key);
    }

    @BeforeAll
    static void connect() throws Exception {
        client = Nats.connect(url());
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
    }

    record Reply(int status, String contentType, JsonNode body) {
    }

    private static Reply request(String environment, String operation, String token, String body) throws Exception {
        Headers headers = new Headers();
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        Message reply = client.request(NatsMessage.builder().subject(PREFIX + "." + environment + "." + operation)
                .headers(headers).data(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)).build(),
                Duration.ofSeconds(30));
        if (reply == null) {
            throw new AssertionError("no reply within 30 s");
        }
        return new Reply(Integer.parseInt(reply.getHeaders().getFirst("Stigmergy-Status")),
                reply.getHeaders().getFirst("Content-Type"), JSON.readTree(reply.getData()));
    }

    private static void noPheromones(String job) {
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200).body("pheromones", hasSize(0));
    }

    @Test
    void depositAnswersTheRestJsonAndARepeatFolds() throws Exception {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent agent = Api.agent();
        Reply first = request(env, "deposit", agent.token(),
                "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\",\"intensity\":2}");
        assertEquals(201, first.status());
        assertEquals("application/json", first.contentType());
        assertEquals(agent.id(), first.body().get("depositor").asText());
        assertEquals("workingonit", first.body().get("type").asText());
        Reply repeat = request(env, "deposit", agent.token(), "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\"}");
        assertEquals(200, repeat.status());
        assertEquals(first.body().get("id"), repeat.body().get("id"));
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200)
                .body("pheromones", hasSize(1)).body("pheromones[0].depositor", equalTo(agent.id()));
    }

    @Test
    void theEventStreamKeepsEventsAsLongAsTheEventLogAndLeavesRequestsOut() throws Exception {
        Api.environment(); // an event, so that the bridge has connected and made its stream
        io.nats.client.JetStreamManagement streams = client.jetStreamManagement();
        String stream = "STIGMERGY_REQ_TEST_" + suffix();
        dev.stigmergy.support.Await.until(() -> {
            try {
                return streams.getStreamNames().contains(stream);
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60), Duration.ofMillis(200), "the bridge's stream");
        var config = streams.getStreamInfo(stream).getConfiguration();
        assertEquals(Duration.ofDays(30), config.getMaxAge()); // stigmergy.retention.event-age's default
        // events have five tokens or more; three-token requests are not captured (JetStream would answer them)
        assertEquals(java.util.List.of(PREFIX + ".*.*.*.>"), config.getSubjects());
    }

    @Test
    void heartbeatRenewsTheAgentsLeases() throws Exception {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent agent = Api.agent();
        agent.call().body(Map.of("leaseSeconds", 60)).post("/entities/job/" + job + "/lock").then().statusCode(201);
        Reply reply = request(env, "heartbeat", agent.token(), null);
        assertEquals(200, reply.status());
        assertEquals(agent.id(), reply.body().get("agent").asText());
        assertEquals(1, reply.body().get("renewed").size());
        assertEquals(404, request("no-such-env", "heartbeat", agent.token(), null).status());
    }

    @Test
    void unauthenticatedRequestsAnswer401AndChangeNothing() throws Exception {
        String env = Api.environment();
        String job = Api.job(env);
        String body = "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\"}";
        Reply none = request(env, "deposit", null, body);
        assertEquals(401, none.status());
        assertEquals("application/problem+json", none.contentType());
        assertEquals(401, none.body().get("status").asInt());
        assertEquals(401, request(env, "deposit", "stg_not-a-token", body).status());
        assertEquals(401, request(env, "heartbeat", "stg_not-a-token", null).status());
        noPheromones(job);
    }

    @Test
    void malformedRequestsAnswer400AndChangeNothing() throws Exception {
        String env = Api.environment();
        String job = Api.job(env);
        String token = Api.agent().token();
        assertEquals("/problems/malformed-body", request(env, "deposit", token, "{\"entity\":").body().get("type").asText());
        assertEquals(400, request(env, "deposit", token, null).status());
        Reply unknown = request(env, "deposit", token, "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\",\"agent\":\"x\"}");
        assertEquals("/problems/unknown-field", unknown.body().get("type").asText());
        assertEquals(400, request(env, "deposit", token,
                "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\",\"intensity\":\"2\"}").status());
        Reply blank = request(env, "deposit", token, "{\"entity\":\"job/" + job + "\",\"type\":\"\"}");
        assertEquals(400, blank.status());
        assertEquals("type", blank.body().get("violations").get(0).get("field").asText());
        assertEquals(400, request(env, "deposit", token, "{\"entity\":\"no-slash\",\"type\":\"workingonit\"}").status());
        noPheromones(job);
    }

    @Test
    void outsideTheRoleSliceOrTheEnvironmentIsRefused() throws Exception {
        String env = Api.environment();
        String other = Api.environment();
        String job = Api.job(env);
        Reply slice = request(env, "deposit", Api.agent("worker").token(),
                "{\"entity\":\"job/" + job + "\",\"type\":\"importance\"}");
        assertEquals(403, slice.status());
        assertEquals("/problems/outside-role-slice", slice.body().get("type").asText());
        assertEquals(403, request(env, "deposit", Api.agent("reviewer").token(),
                "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\"}").status());
        // the entity must belong to the subject's environment
        assertEquals(404, request(other, "deposit", Api.agent().token(),
                "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\"}").status());
        // an agent limited to other environments is refused, as REST refuses it
        Api.Agent scoped = Api.agent();
        Api.asAdmin().body(Map.of("environments", java.util.List.of(other))).put("/agents/" + scoped.id() + "/environments")
                .then().statusCode(200);
        assertEquals(403, request(env, "deposit", scoped.token(),
                "{\"entity\":\"job/" + job + "\",\"type\":\"workingonit\"}").status());
        noPheromones(job);
    }
}
