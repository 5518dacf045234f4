package dev.stigmergy.intent;

import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import dev.stigmergy.time.MutableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An intent that lapses while a renewal or a handover of it waits (DESIGN.md §4, §3): a declaration that found it
 * lapsed and was granted its files is never followed by the intent's revival, and one that waited for the renewal
 * or handover is decided against it. Whatever the order, the file has one holder.
 */
@QuarkusTest
class IntentLapseRaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    MutableClock clock;

    @Inject
    AgroalDataSource dataSource;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private static Map<String, Object> intent(String env, String path, int level, int leaseSeconds) {
        return Map.of("entity", "job/" + Api.job(env), "files", List.of(Map.of("path", path, "level", level)),
                "description", "work", "priority", 5, "leaseSeconds", leaseSeconds, "mode", "all-or-nothing");
    }

    @Test
    void aRenewalWaitingWhileItsIntentLapsesDoesNotReviveItBesideANewHardLock() throws Exception {
        raceWithLapse((holder, intentId) -> () -> holder.call().body(Map.of()).post("/intents/" + intentId + "/renew"));
    }

    @Test
    void aHandoverWaitingWhileItsIntentLapsesDoesNotGiveItsFilesBesideANewHardLock() throws Exception {
        Api.Agent requester = Api.agent();
        raceWithLapse((holder, intentId) -> {
            long request = requester.call().body(Map.of("reason", "mine now", "handover", true))
                    .post("/intents/" + intentId + "/unlock-requests").then().statusCode(201)
                    .extract().jsonPath().getLong("id");
            return () -> holder.call().body(Map.of()).post("/unlock-requests/" + request + "/approve");
        });
    }

    /** What the holder does to its intent, prepared before the race: one call, made in the race. */
    private interface Change {
        Callable<Response> prepare(Api.Agent holder, long intentId);
    }

    // the holder's L3 intent on lib/core.py (10 s lease) is renewed or handed over while its row is locked, as by a
    // concurrent ending; the change reads its clock, waits, the intent lapses, and a rival declares L4 on the file.
    // Revived from the change's earlier clock, the intent would hold the file again beside the L4
    private void raceWithLapse(Change change) throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), rival = Api.agent();
        long intentId = holder.call().body(intent(env, "lib/core.py", 3, 10)).post("/environments/" + env + "/intents")
                .then().statusCode(201).extract().jsonPath().getLong("intent.id");
        Callable<Response> made = change.prepare(holder, intentId);
        // the change starts 1 s before the lease ends (its new lease runs 10 s from then) and waits past that end
        clock.advance(Duration.ofSeconds(9));
        Future<Response> changed;
        Future<Response> declared;
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement("select id from intent where id = ? for update")) {
                lock.setLong(1, intentId);
                lock.executeQuery().close();
            }
            int before = waitingOnLocks();
            changed = pool.submit(made);
            Await.until(() -> waitingOnLocks() > before, WAIT, Duration.ofMillis(10), "the change waiting");
            clock.advance(Duration.ofSeconds(2));
            declared = pool.submit(() -> rival.call().body(intent(env, "lib/core.py", 4, 60))
                    .post("/environments/" + env + "/intents"));
            Await.until(() -> declared.isDone() || waitingOnLocks() > before + 1, WAIT, Duration.ofMillis(10),
                    "the declaration decided or waiting");
            blocker.rollback();
        }
        int changeStatus = changed.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode();
        int declareStatus = declared.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode();
        // one holder of lib/core.py, whichever went first: the renewed or handed-over L3, or the new L4
        Api.asAdmin().get("/environments/" + env + "/held-files").then().body("size()", equalTo(1));
        assertEquals(changeStatus == 200, declareStatus == 409, "change " + changeStatus + ", declaration " + declareStatus);
    }

    private int waitingOnLocks() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     select count(*) from pg_stat_activity
                     where datname = current_database() and wait_event_type = 'Lock'""")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
