package dev.stigmergy.intent;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class IntentDeclarationTest {

    @Inject
    MutableClock clock;

    @Inject
    IntentService intents;

    private static Map<String, Object> file(String path, int level) {
        return Map.of("path", path, "level", level);
    }

    private static Map<String, Object> intent(String entity, int priority, String mode, Map<String, Object>... files) {
        return Map.of("entity", "job/" + entity, "files", List.of(files), "description", "work",
                "priority", priority, "leaseSeconds", 60, "mode", mode);
    }

    private static Response declare(Api.Agent agent, String env, Map<String, Object> body) {
        return agent.call().body(body).post("/environments/" + env + "/intents");
    }

    @Test
    void l4DeniesEveryLaterDeclarationOnTheFile() {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), other = Api.agent();
        declare(holder, env, intent(Api.job(env), 5, "all-or-nothing", file("src/app.py", 4))).then().statusCode(201)
                .body("files[0].outcome", equalTo("granted"))
                .body("intent.files[0].status", equalTo("HELD"));
        for (int level = 1; level <= 4; level++) {
            declare(other, env, intent(Api.job(env), 10, "all-or-nothing", file("src/app.py", level))).then()
                    .statusCode(409)
                    .contentType("application/problem+json")
                    .body("type", equalTo("/problems/intent-denied"))
                    .body("decision.files[0].outcome", equalTo("denied"))
                    .body("decision.files[0].overlaps[0].holder", equalTo(holder.id()))
                    .body("decision.files[0].overlaps[0].level", equalTo(4));
        }
    }

    @Test
    void l4OverL1IsGrantedWithAWarningButOverL2IsDenied() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent(), c = Api.agent();
        declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("docs/a.md", 1), file("docs/b.md", 2))).then().statusCode(201);
        declare(b, env, intent(Api.job(env), 5, "all-or-nothing", file("docs/a.md", 4))).then().statusCode(201)
                .body("files[0].outcome", equalTo("warning"));
        declare(c, env, intent(Api.job(env), 5, "all-or-nothing", file("docs/b.md", 4))).then().statusCode(409);
    }

    @Test
    void l3ContestGoesToHigherPriorityAndPreemptsTheLoser() {
        String env = Api.environment();
        Api.Agent low = Api.agent(), high = Api.agent(), tie = Api.agent();
        String lowJob = Api.job(env);
        long lowId = declare(low, env, intent(lowJob, 4, "all-or-nothing", file("lib/core.py", 3)))
                .then().statusCode(201).extract().jsonPath().getLong("intent.id");
        declare(tie, env, intent(Api.job(env), 4, "all-or-nothing", file("lib/core.py", 3))).then().statusCode(409)
                .body("decision.files[0].overlaps[0].effect", equalTo("deny"));
        declare(high, env, intent(Api.job(env), 7, "all-or-nothing", file("lib/core.py", 3))).then().statusCode(201)
                .body("files[0].outcome", equalTo("warning"))
                .body("files[0].overlaps[0].effect", equalTo("preempt"));
        Api.asAdmin().get("/intents/" + lowId).then().body("files[0].status", equalTo("PREEMPTED"));
        Api.asAdmin().queryParam("type", "intent.preempted").queryParam("environment", env).get("/events")
                .then().body("events", hasSize(1)).body("events[0].data.intentId", equalTo((int) lowId));
        Api.asAdmin().get("/entities/job/" + lowJob + "/pheromones").then().statusCode(200)
                .body("pheromones.findAll { it.type == 'saturation' }", hasSize(1));
    }

    @Test
    void globsOverlapPathsTheyCouldBothMatch() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("src/*.py", 4))).then().statusCode(201);
        // src/*.py and src/a* meet in src/a.py: a naive matcher would let this through
        declare(b, env, intent(Api.job(env), 5, "dry-run", file("src/a*", 2), file("src/*.java", 2),
                file("src/auth/", 2))).then().statusCode(200)
                .body("intent", nullValue())
                .body("files.outcome", equalTo(List.of("denied", "granted", "granted")));
    }

    @Test
    void plainPathsMeetGlobsAndDirectoriesAboveThemButNotTheirSiblings() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("lib/*.py", 4), file("docs", 4),
                file("pkg/mod/x.py", 4))).then().statusCode(201);
        // the candidate read skips the other files of a plain path's directory, never a glob or a directory above it
        declare(b, env, intent(Api.job(env), 5, "dry-run", file("lib/a.py", 2), file("docs/guide/intro.md", 2),
                file("pkg/mod/y.py", 2), file("pkg/", 2), file("pkg/mod/x.py", 1))).then().statusCode(200)
                .body("files.outcome", equalTo(List.of("denied", "denied", "granted", "denied", "denied")))
                .body("files[0].overlaps.path", equalTo(List.of("lib/*.py")))
                .body("files[1].overlaps.path", equalTo(List.of("docs")))
                .body("files[3].overlaps.path", equalTo(List.of("pkg/mod/x.py")));
    }

    @Test
    void lineRangesApartDoNotCollideAtL2() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        declare(a, env, Map.of("entity", "job/" + Api.job(env), "description", "top", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/big.py", "level", 3, "lineRanges", List.of(Map.of("start", 1, "end", 20))))))
                .then().statusCode(201);
        declare(b, env, Map.of("entity", "job/" + Api.job(env), "description", "bottom", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/big.py", "level", 3, "lineRanges", List.of(Map.of("start", 40, "end", 60))))))
                .then().statusCode(201).body("files[0].outcome", equalTo("granted"));
        declare(b, env, Map.of("entity", "job/" + Api.job(env), "description", "near", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/big.py", "level", 3, "lineRanges", List.of(Map.of("start", 22, "end", 25))))))
                .then().statusCode(409);
    }

    @Test
    void anInvertedLineRangeAnswers400NamingEndAndIsNotGranted() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        declare(a, env, Map.of("entity", "job/" + Api.job(env), "description", "top", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/f2.txt", "level", 3, "lineRanges", List.of(Map.of("start", 1, "end", 5))))))
                .then().statusCode(201);
        declare(b, env, Map.of("entity", "job/" + Api.job(env), "description", "inverted", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/f2.txt", "level", 3, "lineRanges", List.of(Map.of("start", 100, "end", 1))))))
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations[0].field", equalTo("files[0].lineRanges[0].end"))
                .body("violations[0].message", equalTo("must be ≥ start"));
        b.call().get("/environments/" + env + "/intents?agent=" + b.id()).then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void partialModeGrantsTheFreeFilesOnly() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("a.txt", 4))).then().statusCode(201);
        declare(b, env, intent(Api.job(env), 5, "partial", file("a.txt", 2), file("b.txt", 2))).then().statusCode(201)
                .body("files.outcome", equalTo(List.of("denied", "granted")))
                .body("intent.files.path", equalTo(List.of("b.txt")));
    }

    @Test
    void twoAgentsRacingForOneFileAtL4OneWins() throws Exception {
        String env = Api.environment();
        List<Api.Agent> agents = new ArrayList<>();
        List<String> jobs = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            agents.add(Api.agent());
            jobs.add(Api.job(env));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int k = 0; k < agents.size(); k++) {
                Api.Agent agent = agents.get(k);
                String job = jobs.get(k);
                answers.add(pool.submit(() -> {
                    start.await();
                    return declare(agent, env, intent(job, 5, "all-or-nothing", file("src/hot.py", 4))).statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : answers) {
                codes.add(f.get());
            }
            assertEquals(1, codes.stream().filter(c -> c == 201).count(), codes.toString());
            assertEquals(agents.size() - 1, codes.stream().filter(c -> c == 409).count(), codes.toString());
        } finally {
            pool.shutdownNow();
        }
        Api.asAdmin().get("/environments/" + env + "/blocked-files").then().body("path", equalTo(List.of("src/hot.py")));
    }

    @Test
    void leaseExpiryFreesTheFilesAndHeartbeatRenews() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent(), c = Api.agent();
        declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("x/one.py", 4))).then().statusCode(201);
        String job = Api.job(env);
        var declared = declare(c, env, intent(job, 5, "all-or-nothing", file("x/two.py", 4)))
                .then().statusCode(201).extract().jsonPath();
        long kept = declared.getLong("intent.id");
        clock.advance(Duration.ofSeconds(40));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        c.call().post("/agents/me/heartbeat").then().statusCode(200)
                .body("renewed.findAll { it.kind == 'intent' }.id", equalTo(List.of(String.valueOf(kept))))
                .body("renewed[0].entity", equalTo("job/" + job))
                .body("renewed[0].fencingToken", equalTo(declared.getInt("intent.fencingToken")))
                .body("renewed[0].expiresAt", equalTo(now.plusSeconds(60).toString()));
        clock.advance(Duration.ofSeconds(30)); // a: 70 s > 60 s lease; c: 30 s after its renewal
        declare(b, env, intent(Api.job(env), 5, "all-or-nothing", file("x/one.py", 4))).then().statusCode(201);
        declare(b, env, intent(Api.job(env), 5, "all-or-nothing", file("x/two.py", 4))).then().statusCode(409);
        intents.sweepExpired(1000);
        Api.asAdmin().queryParam("environment", env).queryParam("type", "intent.expired").get("/events")
                .then().body("events", hasSize(1)).body("events[0].data.holder", equalTo(a.id()));
    }

    @Test
    void completeAndCancelReleaseAndOnlyTheHolderMayEnd() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        long id = declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("m.py", 4)))
                .then().statusCode(201).extract().jsonPath().getLong("intent.id");
        b.call().post("/intents/" + id + "/complete").then().statusCode(403);
        a.call().post("/intents/" + id + "/renew").then().statusCode(200).body("status", equalTo("ACTIVE"));
        a.call().post("/intents/" + id + "/complete").then().statusCode(200).body("status", equalTo("COMPLETED"))
                .body("files[0].status", equalTo("RELEASED"));
        a.call().post("/intents/" + id + "/cancel").then().statusCode(409);
        declare(b, env, intent(Api.job(env), 5, "all-or-nothing", file("m.py", 4))).then().statusCode(201);
        Api.asAdmin().queryParam("environment", env).queryParam("status", "COMPLETED")
                .get("/environments/" + env + "/intents").then().body("id", equalTo(List.of((int) id)));
    }

    @Test
    void renewTakesALeaseLengthAndRefusesUnknownFields() {
        String env = Api.environment();
        Api.Agent a = Api.agent();
        long id = declare(a, env, intent(Api.job(env), 5, "all-or-nothing", file("r.py", 2)))
                .then().statusCode(201).extract().jsonPath().getLong("intent.id");
        java.time.Instant now = clock.instant();
        String expiresAt = a.call().body(Map.of("leaseSeconds", 900)).post("/intents/" + id + "/renew").then()
                .statusCode(200).extract().path("expiresAt");
        assertEquals(900, Math.round(Duration.between(now, java.time.Instant.parse(expiresAt)).toMillis() / 1000.0));
        a.call().body(Map.of("leaseSecs", 900)).post("/intents/" + id + "/renew").then().statusCode(400)
                .body("type", equalTo("/problems/unknown-field"));
        a.call().body(Map.of("leaseSeconds", 0)).post("/intents/" + id + "/renew").then().statusCode(400);
        a.call().body(Map.of("leaseSeconds", 10_000_000)).post("/intents/" + id + "/renew").then().statusCode(400);
    }

    @Test
    void badInputIsA4xxProblemAndCreatesNothing() {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent a = Api.agent();
        for (Map<String, Object> body : List.of(
                intent(job, 5, "all-or-nothing", file("../etc/passwd", 2)),
                intent(job, 5, "all-or-nothing", file("/abs.py", 2)),
                intent(job, 5, "all-or-nothing", file("src\\\\win.py", 2)),
                intent(job, 5, "all-or-nothing", file("a.py", 0)),
                intent(job, 5, "all-or-nothing", file("a.py", 5)),
                intent(job, 11, "all-or-nothing", file("a.py", 1)),
                intent(job, 5, "sometimes", file("a.py", 1)),
                intent(job, 5, "all-or-nothing", file("a.py", 1), file("a.py", 2)),
                Map.of("entity", "job/" + job, "files", List.of(), "description", "x", "leaseSeconds", 60),
                Map.of("entity", "job/" + job, "files", List.of(file("a.py", 1)), "description", "x", "leaseSeconds", 0))) {
            declare(a, env, body).then().statusCode(400).contentType("application/problem+json");
        }
        declare(a, env, intent("NO-SUCH-JOB", 5, "all-or-nothing", file("a.py", 1))).then().statusCode(404);
        a.call().body(intent(job, 5, "all-or-nothing", file("a.py", 1))).post("/environments/no-such-env/intents")
                .then().statusCode(404);
        Api.asAdmin().get("/environments/" + env + "/intents").then().body("", hasSize(0));
    }
}
