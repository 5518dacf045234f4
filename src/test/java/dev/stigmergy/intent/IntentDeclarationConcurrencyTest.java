package dev.stigmergy.intent;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.caller.Identity;
import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Declarations racing in one environment (DESIGN.md §4, {@link PathLocks}): those that may overlap are decided one
 * after the other, so only the level table's winner holds; those that cannot overlap do not wait on each other.
 */
@QuarkusTest
class IntentDeclarationConcurrencyTest {

    /** Bounds a wait that only a broken serialisation makes long; a passing test never comes near it. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    IntentDeclaration declarations;

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

    private static Map<String, Object> file(String path, int level) {
        return Map.of("path", path, "level", level);
    }

    @SafeVarargs
    private static Map<String, Object> intent(String entity, int priority, Map<String, Object>... files) {
        return Map.of("entity", "job/" + entity, "files", List.of(files), "description", "work",
                "priority", priority, "leaseSeconds", 60, "mode", "all-or-nothing");
    }

    private static Response declare(Api.Agent agent, String env, Map<String, Object> body) {
        return agent.call().body(body).post("/environments/" + env + "/intents");
    }

    /**
     * A declaration of {@code path} at L4 whose transaction stays open, its locks held and its intent not yet
     * visible to others, until {@link #close}.
     */
    private final class OpenDeclaration implements AutoCloseable {
        private final CountDownLatch declared = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);
        private final Future<?> done;

        OpenDeclaration(String env, Api.Agent holder, String path) {
            String job = Api.job(env);
            Caller caller = Caller.of(new Who(holder.id(), List.of("agent"), "agent", null));
            DeclareIntent request = new DeclareIntent("job/" + job, List.of(new DeclaredFile(path, 4, null)), "open",
                    5, 60, null, null, DeclareMode.ALL_OR_NOTHING);
            done = pool.submit(() -> QuarkusTransaction.requiringNew().run(() -> {
                declarations.declare(env, request, caller);
                declared.countDown();
                try {
                    release.await(WAIT.toSeconds() * 2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            Await.until(() -> declared.getCount() == 0 || done.isDone(), WAIT, Duration.ofMillis(10), "declared");
        }

        boolean committed() {
            return done.isDone();
        }

        @Override
        public void close() throws Exception {
            release.countDown();
            done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void declarationsOfOtherFilesProceedWhileAnotherDeclarationIsOpen() throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), other = Api.agent();
        try (OpenDeclaration open = new OpenDeclaration(env, holder, "src/auth/login.py")) {
            // a sibling file, a sibling directory's glob, another tree: none can overlap src/auth/login.py
            Future<Integer> answer = pool.submit(() -> declare(other, env, intent(Api.job(env), 5,
                    file("src/auth/logout.py", 4), file("src/api/*.py", 4), file("docs/", 4))).statusCode());
            // with one lock per environment this answer would wait for the open declaration to commit
            assertEquals(201, answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            assertFalse(open.committed());
        }
        Api.asAdmin().get("/environments/" + env + "/blocked-files").then()
                .body("path", equalTo(List.of("docs/", "src/api/*.py", "src/auth/login.py", "src/auth/logout.py")));
    }

    @Test
    void anOverlappingDeclarationWaitsForTheOpenOneAndIsDecidedAgainstIt() throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), other = Api.agent();
        Future<Response> answer;
        try (OpenDeclaration open = new OpenDeclaration(env, holder, "src/auth/")) {
            answer = pool.submit(() -> declare(other, env, intent(Api.job(env), 5, file("src/*/login.py", 2))));
            // it waits on the open declaration's lock rather than reading held files that do not show it yet
            Await.until(() -> waitingOnAdvisoryLocks() > 0 || answer.isDone(), WAIT, Duration.ofMillis(10), "a wait");
            assertFalse(answer.isDone(), "decided before the open declaration committed");
        }
        answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).then().statusCode(409)
                .body("decision.files[0].overlaps[0].holder", equalTo(holder.id()))
                .body("decision.files[0].overlaps[0].path", equalTo("src/auth/"));
    }

    @Test
    void racingHardLocksOnPatternsThatAllOverlapGrantExactlyOne() throws Exception {
        for (int round = 0; round < 3; round++) {
            String env = Api.environment();
            List<String> paths = List.of("src/hot/", "src/hot/a.py", "src/hot/a.py", "src/hot/*.py", "src/**",
                    "**/a.py", "src/h*/a.py", "src/hot/a.py/");
            List<Integer> codes = race(paths.size(), k -> intent(Api.job(env), 5, file(paths.get(k), 4)), env);
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertEquals(paths.size() - 1, codes.stream().filter(c -> c == 409).count(), codes.toString());
            Api.asAdmin().get("/environments/" + env + "/blocked-files").then().body("size()", equalTo(1));
        }
    }

    @Test
    void racingPriorityContestsLeaveOnlyTheHighestPriorityHolding() throws Exception {
        String env = Api.environment();
        int agents = 8;
        List<Api.Agent> racers = new ArrayList<>();
        List<Integer> codes = race(agents, k -> intent(Api.job(env), k + 1, file("lib/core.py", 3)), env, racers);
        assertEquals(201, codes.get(agents - 1), codes.toString()); // the highest priority is never denied
        Api.asAdmin().get("/environments/" + env + "/held-files").then()
                .body("size()", equalTo(1))
                .body("[0].holder", equalTo(racers.get(agents - 1).id()))
                .body("[0].priority", equalTo(agents));
    }

    private List<Integer> race(int n, Function<Integer, Map<String, Object>> body, String env) throws Exception {
        return race(n, body, env, new ArrayList<>());
    }

    // n fresh agents, released together, each declaring body(k); their status codes in order
    private List<Integer> race(int n, Function<Integer, Map<String, Object>> body, String env, List<Api.Agent> agents)
            throws Exception {
        List<Map<String, Object>> bodies = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            agents.add(Api.agent());
            bodies.add(body.apply(k));
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> answers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Api.Agent agent = agents.get(k);
            Map<String, Object> request = bodies.get(k);
            answers.add(pool.submit(() -> {
                start.await();
                return declare(agent, env, request).statusCode();
            }));
        }
        start.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> answer : answers) {
            codes.add(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return codes;
    }

    private int waitingOnAdvisoryLocks() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     select count(*) from pg_stat_activity
                     where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'""")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
