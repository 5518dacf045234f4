package dev.stigmergy.lock;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class LockResourceTest {

    @Inject
    MutableClock clock;

    @Inject
    LockService locks;

    private static ValidatableResponse acquire(Api.Agent agent, String path, int leaseSeconds) {
        return agent.call().body(Map.of("leaseSeconds", leaseSeconds, "reason", "working on it"))
                .post(path).then();
    }

    private static List<Map<String, Object>> events(String entity, String type) {
        return Api.asAdmin().queryParam("entity", entity).queryParam("type", type).get("/events")
                .then().statusCode(200).extract().path("events");
    }

    private static Map<String, Object> last(List<Map<String, Object>> events) {
        return events.get(events.size() - 1);
    }

    @Test
    void acquireGrantsLockWithFencingTokenAndExpiry() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        acquire(agent, "/entities/job/" + key + "/lock", 30).statusCode(201)
                .body("entity", equalTo("job/" + key))
                .body("environment", equalTo(env))
                .body("holder", equalTo(agent.id()))
                .body("fencingToken", notNullValue())
                .body("leaseSeconds", equalTo(30))
                .body("acquiredAt", equalTo(now.toString()))
                .body("expiresAt", equalTo(now.plusSeconds(30).toString()));
        assertEquals(1, events("job/" + key, "lock.acquired").size());
    }

    @Test
    void acquireWhileHeldAnswers409WithHolder() {
        String key = Api.job(Api.environment());
        Api.Agent holder = Api.agent();
        Api.Agent other = Api.agent();
        String path = "/entities/job/" + key + "/lock";
        long token = ((Number) acquire(holder, path, 60).statusCode(201).extract().path("fencingToken")).longValue();
        acquire(other, path, 60).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/lock-held"))
                .body("title", equalTo("Lock held"))
                .body("status", equalTo(409))
                .body("detail", equalTo("job/" + key + " is held by agent " + holder.id()))
                .body("hold.entity", equalTo("job/" + key))
                .body("hold.holder", equalTo(holder.id()))
                .body("hold.fencingToken", equalTo((int) token))
                .body("hold.expiresAt", notNullValue());
        Api.asAdmin().get(path).then().statusCode(200).body("holder", equalTo(holder.id()));
    }

    @Test
    void reacquireByHolderRenewsSameTokenNewExpiry() {
        String key = Api.job(Api.environment());
        Api.Agent agent = Api.agent();
        String path = "/entities/job/" + key + "/lock";
        int token = acquire(agent, path, 30).statusCode(201).extract().path("fencingToken");
        clock.advance(Duration.ofSeconds(20));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        acquire(agent, path, 40).statusCode(200)
                .body("fencingToken", equalTo(token))
                .body("expiresAt", equalTo(now.plusSeconds(40).toString()));
        assertEquals(1, events("job/" + key, "lock.renewed").size());
    }

    @Test
    void leaseExpiryFreesTheLockForAnotherAgentWithNewerToken() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent first = Api.agent();
        Api.Agent second = Api.agent();
        int firstToken = acquire(first, path, 30).statusCode(201).extract().path("fencingToken");
        clock.advance(Duration.ofSeconds(29));
        acquire(second, path, 30).statusCode(409);
        clock.advance(Duration.ofSeconds(1));
        // at expiresAt the lease is over: free on read and on write
        Api.asAdmin().get(path).then().statusCode(404).body("type", equalTo("/problems/not-locked"));
        int secondToken = acquire(second, path, 30).statusCode(201).body("holder", equalTo(second.id()))
                .extract().path("fencingToken");
        assertTrue(secondToken > firstToken);
        List<Map<String, Object>> expired = events("job/" + key, "lock.expired");
        assertEquals(1, expired.size());
        assertEquals(first.id(), ((Map<?, ?>) expired.get(0).get("data")).get("holder"));
        // the stale holder can no longer release
        first.call().delete(path).then().statusCode(403).body("type", equalTo("/problems/not-holder"));
    }

    @Test
    void sweepRecordsExpiryOfUntouchedLocks() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        acquire(Api.agent(), path, 10).statusCode(201);
        clock.advance(Duration.ofSeconds(11));
        locks.sweep();
        assertEquals(1, events("job/" + key, "lock.expired").size());
        locks.sweep();
        assertEquals(1, events("job/" + key, "lock.expired").size());
    }

    @Test
    void heartbeatRenewsEveryLockOfTheAgentByItsOwnLease() {
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        Api.Agent agent = Api.agent();
        Map<String, Object> grantA = acquire(agent, "/entities/job/" + a + "/lock", 30).statusCode(201)
                .extract().as(Map.class);
        acquire(agent, "/entities/job/" + b + "/lock", 120).statusCode(201);
        clock.advance(Duration.ofSeconds(25));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        agent.call().post("/agents/me/heartbeat").then().statusCode(200)
                .body("renewed", hasSize(2))
                .body("renewed.kind", hasItem("lock"))
                .body("renewed.find { it.entity == 'job/" + a + "' }.expiresAt", equalTo(now.plusSeconds(30).toString()))
                .body("renewed.find { it.entity == 'job/" + b + "' }.expiresAt", equalTo(now.plusSeconds(120).toString()));
        // each renewal records lock.renewed with the grant as extended, as a renew call does
        Map<String, Object> renewed = last(events("job/" + a, "lock.renewed"));
        assertEquals(agent.id(), renewed.get("agent"));
        assertEquals(Map.of("holder", agent.id(), "fencingToken", grantA.get("fencingToken"), "leaseSeconds", 30,
                "acquiredAt", grantA.get("acquiredAt"), "expiresAt", now.plusSeconds(30).toString(),
                "reason", "working on it", "via", "heartbeat"), renewed.get("data"));
        assertEquals(1, events("job/" + b, "lock.renewed").size());
        clock.advance(Duration.ofSeconds(25));
        // without the heartbeat the 30 s lock would have lapsed by now
        Api.asAdmin().get("/entities/job/" + a + "/lock").then().statusCode(200).body("holder", equalTo(agent.id()));
    }

    @Test
    void renewByHolderExtendsAndByOtherIs403() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent holder = Api.agent();
        int token = acquire(holder, path, 30).statusCode(201).extract().path("fencingToken");
        clock.advance(Duration.ofSeconds(10));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        holder.call().post(path + "/renew").then().statusCode(200)
                .body("fencingToken", equalTo(token)).body("expiresAt", equalTo(now.plusSeconds(30).toString()));
        holder.call().body(Map.of("leaseSeconds", 90)).post(path + "/renew").then().statusCode(200)
                .body("expiresAt", equalTo(now.plusSeconds(90).toString()));
        Api.agent().call().post(path + "/renew").then().statusCode(403);
    }

    @Test
    void releaseByHolderFreesAndOthersCannotRelease() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent holder = Api.agent();
        Api.Agent other = Api.agent();
        acquire(holder, path, 60).statusCode(201);
        other.call().delete(path).then().statusCode(403).body("type", equalTo("/problems/not-holder"));
        Api.asAdmin().get(path).then().statusCode(200).body("holder", equalTo(holder.id()));
        holder.call().delete(path).then().statusCode(200).body("holder", equalTo(holder.id()));
        Api.asAdmin().get(path).then().statusCode(404);
        holder.call().delete(path).then().statusCode(404).body("type", equalTo("/problems/not-locked"));
        assertEquals(1, events("job/" + key, "lock.released").size());
        acquire(other, path, 60).statusCode(201);
    }

    @Test
    void acquiredAndReleasedEventsRecordTheGrantAsAnswered() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent holder = Api.agent();
        // the first grant creates the lock row, later ones reuse the freed row (LockService's one-statement
        // paths); instants with no fraction, milliseconds and microseconds, as Jackson writes each
        for (Duration step : List.of(Duration.ofNanos(1_000_000_000L - clock.instant().getNano()),
                Duration.ofMillis(7), Duration.ofNanos(123_000))) {
            clock.advance(step);
            Map<String, Object> granted = acquire(holder, path, 60).statusCode(201).extract().as(Map.class);
            Map<String, Object> released = holder.call().delete(path).then().statusCode(200).extract().as(Map.class);
            assertEquals(granted, released);
            Map<String, Object> expected = Map.of("holder", holder.id(), "fencingToken", granted.get("fencingToken"),
                    "leaseSeconds", 60, "acquiredAt", granted.get("acquiredAt"),
                    "expiresAt", granted.get("expiresAt"), "reason", "working on it");
            assertEquals(expected, last(events("job/" + key, "lock.acquired")).get("data"));
            assertEquals(expected, last(events("job/" + key, "lock.released")).get("data"));
        }
    }

    @Test
    void forceReleaseNeedsAdminAndReason() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent holder = Api.agent();
        acquire(holder, path, 60).statusCode(201);
        Api.agent().call().body(Map.of("reason", "stuck")).post(path + "/force-release").then().statusCode(403);
        Api.asAdmin().body(Map.of()).post(path + "/force-release").then().statusCode(400)
                .body("violations.field", hasItem("reason"));
        Api.asAdmin().body(Map.of("reason", " ")).post(path + "/force-release").then().statusCode(400);
        Api.asAdmin().get(path).then().statusCode(200).body("holder", equalTo(holder.id()));
        Api.asAdmin().body(Map.of("reason", "agent crashed")).post(path + "/force-release").then().statusCode(200);
        Api.asAdmin().get(path).then().statusCode(404);
        List<Map<String, Object>> forced = events("job/" + key, "lock.force-released");
        assertEquals(1, forced.size());
        assertEquals("agent crashed", ((Map<?, ?>) forced.get(0).get("data")).get("reason"));
    }

    @Test
    void badLeaseIs400AndChangesNothing() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent agent = Api.agent();
        acquire(agent, path, 0).statusCode(400).body("type", equalTo("/problems/invalid-input"));
        acquire(agent, path, -5).statusCode(400);
        acquire(agent, path, 3601).statusCode(400).body("detail", equalTo("leaseSeconds must be 1-3600, was 3601"));
        agent.call().body(Map.of()).post(path).then().statusCode(400);
        agent.call().body(Map.of("leaseSeconds", 30, "holder", "someone")).post(path).then().statusCode(400)
                .body("type", equalTo("/problems/unknown-field"));
        Api.asAdmin().get(path).then().statusCode(404);
        assertEquals(0, events("job/" + key, "lock.acquired").size());
    }

    @Test
    void unknownEntityIs404() {
        acquire(Api.agent(), "/entities/job/" + Api.fresh("NOPE") + "/lock", 30).statusCode(404)
                .contentType("application/problem+json");
        acquire(Api.agent(), "/entities/nokind/" + Api.fresh("NOPE") + "/lock", 30).statusCode(404);
    }

    @Test
    void reviewerReadsButCannotAcquire() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent reviewer = Api.agent("reviewer");
        acquire(reviewer, path, 30).statusCode(403);
        Api.Agent holder = Api.agent();
        acquire(holder, path, 30).statusCode(201);
        reviewer.call().get(path).then().statusCode(200).body("holder", equalTo(holder.id()))
                .body("unlockRequests", hasSize(0));
        reviewer.call().queryParam("holder", holder.id()).get("/locks").then().statusCode(200)
                .body("entity", equalTo(List.of("job/" + key)));
    }

    @Test
    void listsLiveLocksByEnvironmentAndHolder() {
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        Api.Agent one = Api.agent();
        Api.Agent two = Api.agent();
        acquire(one, "/entities/job/" + a + "/lock", 30).statusCode(201);
        acquire(two, "/entities/job/" + b + "/lock", 60).statusCode(201);
        Api.asAdmin().queryParam("environment", env).get("/locks").then().statusCode(200).body("$", hasSize(2));
        Api.asAdmin().queryParam("environment", env).queryParam("holder", two.id()).get("/locks").then()
                .body("entity", equalTo(List.of("job/" + b)));
        clock.advance(Duration.ofSeconds(31));
        Api.asAdmin().queryParam("environment", env).get("/locks").then().body("entity", not(hasItem("job/" + a)));
    }

    @Test
    void fencingCheckTellsCurrentFromStaleToken() {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent first = Api.agent();
        Api.Agent second = Api.agent();
        int stale = acquire(first, path, 30).statusCode(201).extract().path("fencingToken");
        Api.asAdmin().body(Map.of("entity", "job/" + key, "fencingToken", stale)).post("/fencing/check").then()
                .statusCode(200).body("current", equalTo(true)).body("holder", equalTo(first.id()));
        first.call().delete(path).then().statusCode(200);
        int current = acquire(second, path, 30).statusCode(201).extract().path("fencingToken");
        first.call().body(Map.of("entity", "job/" + key, "fencingToken", stale)).post("/fencing/check").then()
                .statusCode(200).body("current", equalTo(false)).body("currentFencingToken", equalTo(current));
        Api.asAdmin().body(Map.of("entity", "job/" + Api.fresh("NOPE"), "fencingToken", 1)).post("/fencing/check").then()
                .statusCode(404);
        Api.asAdmin().body(Map.of("entity", "nonsense", "fencingToken", 1)).post("/fencing/check").then().statusCode(400);
        Api.asAdmin().body(Map.of("entity", "job/" + key)).post("/fencing/check").then().statusCode(400);
        // one name for the token everywhere: the grant's
        Api.asAdmin().body(Map.of("entity", "job/" + key, "token", current)).post("/fencing/check").then()
                .statusCode(400).body("type", equalTo("/problems/unknown-field"));
    }
}
