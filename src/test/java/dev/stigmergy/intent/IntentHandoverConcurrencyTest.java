package dev.stigmergy.intent;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.caller.Identity;
import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import dev.stigmergy.unlock.UnlockRequestService;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A handover (an approved unlock request with {@code handover}, DESIGN.md §3) racing a declaration of the same
 * files (DESIGN.md §4): the handover takes the declaration's path locks ({@link PathLocks}), so the declaration is
 * decided against the requester's new intent, never against the ended one, and the level table still holds after
 * both: one L3 holder per file, no L4 beside a conflicting hold.
 */
@QuarkusTest
class IntentHandoverConcurrencyTest {

    /** Bounds a wait that only a broken serialisation makes long; a passing test never comes near it. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    UnlockRequestService unlockRequests;

    @Inject
    AgroalDataSource dataSource;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    private record Who(String agentId, List<String> roles, String actingRole, Set<String> environments)
            implements Identity {
    }

    private static Map<String, Object> intent(String entity, int priority, String path, int level) {
        return Map.of("entity", "job/" + entity, "files", List.of(Map.of("path", path, "level", level)),
                "description", "work", "priority", priority, "leaseSeconds", 60, "mode", "all-or-nothing");
    }

    private static Response declare(Api.Agent agent, String env, Map<String, Object> body) {
        return agent.call().body(body).post("/environments/" + env + "/intents");
    }

    /** An intent of {@code holder} on one file, and a pending request of {@code requester} to be handed it. */
    private record Handover(long intentId, long requestId) {
        static Handover asked(String env, Api.Agent holder, Api.Agent requester, String path, int level) {
            long intent = declare(holder, env, intent(Api.job(env), 5, path, level)).then().statusCode(201)
                    .extract().jsonPath().getLong("intent.id");
            long request = requester.call().body(Map.of("reason", "mine now", "handover", true))
                    .post("/intents/" + intent + "/unlock-requests").then().statusCode(201)
                    .extract().jsonPath().getLong("id");
            return new Handover(intent, request);
        }
    }

    /** The holder's approval of a handover, its transaction open (the handover done, not committed) until {@link #close}. */
    private final class OpenApproval implements AutoCloseable {
        private final CountDownLatch approved = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Future<?> done;

        OpenApproval(Api.Agent holder, long requestId) {
            Caller caller = Caller.of(new Who(holder.id(), List.of("agent"), "agent", null));
            done = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                unlockRequests.approve(requestId, "go ahead", caller);
                approved.countDown();
                try {
                    release.await(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Await.until(() -> approved.getCount() == 0 || done.isDone(), WAIT, Duration.ofMillis(10), "approved");
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aPreemptionRacingAHandoverLeavesOneL3Holder() throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), requester = Api.agent(), rival = Api.agent();
        Handover handover = Handover.asked(env, holder, requester, "lib/core.py", 3);
        Future<Response> answer;
        try (OpenApproval open = new OpenApproval(holder, handover.requestId())) {
            answer = pool.submit(() -> declare(rival, env, intent(Api.job(env), 9, "lib/core.py", 3)));
            // it waits for the handover's transaction, not reading (and preempting) the ended intent
            Await.until(() -> waitingOnLocks() > 0 || answer.isDone(), WAIT, Duration.ofMillis(10), "a wait");
        }
        JsonPath decided = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).then().statusCode(201).extract().jsonPath();
        // the higher priority preempted the requester's handed-over intent, not the ended one
        assertEquals(requester.id(), decided.getString("files[0].overlaps[0].holder"));
        assertEquals("preempt", decided.getString("files[0].overlaps[0].effect"));
        Api.asAdmin().get("/environments/" + env + "/held-files").then()
                .body("size()", equalTo(1))
                .body("[0].holder", equalTo(rival.id()))
                .body("[0].priority", equalTo(9));
    }

    @Test
    void aHardLockRacingAHandoverIsDecidedAgainstTheRequestersHold() throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), requester = Api.agent(), rival = Api.agent();
        Handover handover = Handover.asked(env, holder, requester, "lib/core.py", 1);
        Future<Response> answer;
        try (OpenApproval open = new OpenApproval(holder, handover.requestId())) {
            answer = pool.submit(() -> declare(rival, env, intent(Api.job(env), 5, "lib/core.py", 4)));
            Await.until(() -> waitingOnLocks() > 0 || answer.isDone(), WAIT, Duration.ofMillis(10), "a wait");
        }
        // L4 beside an earlier L1 is a warning; granted beside the ended intent only, the requester's L1 would sit
        // beside the L4 it never saw (an L1 declared after an L4 is denied)
        answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).then().statusCode(201)
                .body("files[0].outcome", equalTo("warning"))
                .body("files[0].overlaps[0].holder", equalTo(requester.id()));
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
