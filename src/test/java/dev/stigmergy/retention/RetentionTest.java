package dev.stigmergy.retention;

import dev.stigmergy.event.EventRetention;
import dev.stigmergy.intent.IntentRetention;
import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import dev.stigmergy.unlock.UnlockRequestRetention;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Retention against the real database. The test database is shared by every run, so a test first moves the clock
 * past every event already in it (earlier runs moved their clocks too), then makes its own old and new rows.
 */
@QuarkusTest
class RetentionTest {

    private static final Duration MONTH = Duration.ofDays(31);

    @Inject
    MutableClock clock;

    @Inject
    RetentionSweep sweep;

    @Inject
    EventRetention events;

    @Inject
    IntentRetention intents;

    @Inject
    UnlockRequestRetention unlockRequests;

    @Inject
    EntityManager em;

    @Test
    void aRemovedPositionAnswers410NamingTheOldestKept() {
        passEveryEventInTheDatabase();
        String env = Api.environment();
        long old = lastEventId();
        clock.advance(MONTH);
        String job = Api.job(env); // an event after the cutoff
        long kept = lastEventId();
        sweepUntilRemovedUpTo(old);

        EventRetention.Kept now = events.kept();
        assertTrue(now.removedUpTo() >= old && now.removedUpTo() < kept, "removed up to " + now.removedUpTo());
        Api.asAdmin().queryParam("after", old - 1).get("/events").then().statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/position-removed"))
                .body("resumeAfter", equalTo((int) now.removedUpTo()))
                .body("oldestKept", equalTo((int) (long) now.oldestKept()));
        Api.asAdmin().header("Last-Event-ID", Long.toString(old - 1)).get("/events/stream").then().statusCode(410)
                .contentType("application/problem+json").body("oldestKept", equalTo((int) (long) now.oldestKept()));
        // reading on from resumeAfter, or from the start, finds the event made after the cutoff
        Api.asAdmin().queryParam("after", now.removedUpTo()).queryParam("entity", "job/" + job).get("/events").then()
                .statusCode(200).body("events[0].id", equalTo((int) kept));
        Api.asAdmin().queryParam("entity", "job/" + job).get("/events").then()
                .statusCode(200).body("events[0].id", equalTo((int) kept));
    }

    @Test
    void nothingLiveIsRemoved() {
        passEveryEventInTheDatabase();
        String env = Api.environment();
        Api.Agent holder = Api.agent(), requester = Api.agent();
        String job = Api.job(env);
        long ended = declare(holder, env, job, "ended.py");
        holder.call().post("/intents/" + ended + "/complete").then().statusCode(200);
        long lapsedUnswept = declare(holder, env, job, "lapsed.py"); // ACTIVE, past expiry, not yet recorded EXPIRED
        long request = requester.call().body(Map.of("reason", "need it")).post("/intents/" + lapsedUnswept + "/unlock-requests")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        clock.advance(MONTH);
        long live = declare(holder, env, job, "live.py");
        holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + job + "/lock").then().statusCode(201);

        sweepUntilRemovedUpTo(lastEventIdBefore(clock.instant().minus(Duration.ofDays(30))));

        Api.asAdmin().get("/intents/" + ended).then().statusCode(404);
        Api.asAdmin().get("/intents/" + lapsedUnswept).then().statusCode(200);
        Api.asAdmin().get("/intents/" + live).then().statusCode(200).body("status", equalTo("ACTIVE"));
        Api.asAdmin().get("/unlock-requests/" + request).then().statusCode(200); // still PENDING (lazily EXPIRED)
        Api.asAdmin().get("/entities/job/" + job + "/lock").then().statusCode(200).body("holder", equalTo(holder.id()));
        Api.asAdmin().queryParam("entity", "job/" + job).queryParam("type", "intent.declared").get("/events").then()
                .statusCode(200).body("events.size()", equalTo(1)); // the live intent's event, not the old two
    }

    @Test
    void batchesAreBounded() {
        passEveryEventInTheDatabase();
        String env = Api.environment();
        Api.Agent holder = Api.agent();
        String job = Api.job(env);
        for (String file : List.of("a.py", "b.py", "c.py")) {
            holder.call().post("/intents/" + declare(holder, env, job, file) + "/cancel").then().statusCode(200);
        }
        clock.advance(MONTH);
        Instant now = clock.instant();
        Instant cutoff = now.minus(Duration.ofDays(30));
        // earlier runs' ended intents age out with these: drain them two at a time, never more per batch
        int removed;
        do {
            removed = intents.removeEnded(now, cutoff, 2);
            assertTrue(removed <= 2);
        } while (removed == 2);
        assertEquals(0, intents.removeEnded(now, cutoff, 2));
        long before = lastEventId();
        EventRetention.Removed batch = events.removeBatch(now, cutoff, Long.MAX_VALUE, 3);
        assertEquals(3, batch.count());
        assertTrue(batch.upTo() < before);
        assertEquals(0, unlockRequests.removeEnded(now, now.minus(Duration.ofDays(3650)), 5));
    }

    @Test
    void metricsCountWhatRetentionRemoved() {
        passEveryEventInTheDatabase();
        String env = Api.environment();
        Api.Agent holder = Api.agent();
        String job = Api.job(env);
        holder.call().post("/intents/" + declare(holder, env, job, "m.py") + "/cancel").then().statusCode(200);
        double before = removedMetric("intent");
        clock.advance(MONTH);
        Map<String, Integer> removed = sweep.sweep();
        assertTrue(removed.get("intent") >= 1);
        assertEquals(before + removed.get("intent"), removedMetric("intent"), 0.001);
    }

    private static double removedMetric(String table) {
        String body = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return body.lines().filter(l -> l.startsWith("stigmergy_retention_removed_total{") && l.contains("table=\"" + table + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static long declare(Api.Agent agent, String env, String job, String file) {
        return agent.call().body(Map.of("entity", "job/" + job, "files", List.of(Map.of("path", file, "level", 2)),
                        "description", "work", "priority", 5, "leaseSeconds", 60))
                .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
    }

    // every event so far becomes older than the retention (30 days) once the test advances by MONTH
    private void passEveryEventInTheDatabase() {
        Instant latest = dev.stigmergy.time.SqlTimes.instant(em.createNativeQuery("select coalesce(max(occurred_at), now()) from event")
                .getSingleResult());
        if (latest.isAfter(clock.instant())) {
            clock.advance(Duration.between(clock.instant(), latest).plusSeconds(1));
        }
    }

    private void sweepUntilRemovedUpTo(long position) {
        for (int run = 0; run < 1000 && events.kept().removedUpTo() < position; run++) {
            sweep.sweep();
        }
        assertTrue(events.kept().removedUpTo() >= position, "retention did not reach " + position);
    }

    private long lastEventId() {
        return ((Number) em.createNativeQuery("select coalesce(max(id), 0) from event").getSingleResult()).longValue();
    }

    private long lastEventIdBefore(Instant t) {
        return ((Number) em.createNativeQuery("select coalesce(max(id), 0) from event where occurred_at < :t")
                .setParameter("t", t).getSingleResult()).longValue();
    }
}
