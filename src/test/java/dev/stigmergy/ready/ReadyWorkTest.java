package dev.stigmergy.ready;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule of {@code GET /environments/{env}/ready}, its ranking, and its paging. */
@QuarkusTest
class ReadyWorkTest {

    @Inject
    MutableClock clock;

    private static ValidatableResponse ready(Api.Agent agent, String env) {
        return agent.call().get("/environments/" + env + "/ready").then().statusCode(200);
    }

    private static List<String> readyKeys(Api.Agent agent, String env) {
        return ready(agent, env).extract().jsonPath().getList("items.key", String.class);
    }

    private static void deposit(Api.Agent agent, String job, String type, Double intensity) {
        agent.call().body(intensity == null ? Map.of("type", type) : Map.of("type", type, "intensity", intensity))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201);
    }

    private static String completionType() {
        String name = "completion." + Api.fresh("done").replace('-', '_').toLowerCase();
        return Api.asAdmin().body(Map.of("name", name, "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 86400)))
                .post("/signal-types").then().statusCode(201).extract().path("name");
    }

    @Test
    void readyWorkRanksByImportanceThenAgeAndSaysWhy() {
        Api.Agent scout = Api.agent();
        String env = Api.environment();
        String plain = Api.job(env);
        String three = Api.job(env);
        String five = Api.job(env);
        String alsoThree = Api.job(env);
        deposit(scout, three, "importance", 3.0);
        deposit(scout, five, "importance", 2.0);
        deposit(Api.agent(), five, "importance", 3.0); // summed over depositors: 5
        deposit(scout, alsoThree, "importance", 3.0);

        Api.Agent worker = Api.agent();
        ready(worker, env).body("environment", equalTo(env)).body("role", equalTo("agent"))
                .body("items.key", contains(five, three, alsoThree, plain))
                .body("items[0].entity", equalTo("job/" + five))
                .body("items[0].importance", is(5.0f))
                .body("items[0].reason", containsString("importance 5.0"))
                .body("items[1].reason", containsString("oldest first"))
                .body("items[3].importance", is(0.0f))
                .body("items[3].reason", containsString("no importance"))
                .body("nextAfter", nullValue());
    }

    @Test
    void anotherAgentsLiveLockLeavesTheEntityOutUntilItLapses() {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent holder = Api.agent();
        Api.Agent other = Api.agent();
        holder.call().body(Map.of("leaseSeconds", 30)).post("/entities/job/" + job + "/lock").then().statusCode(201);

        assertEquals(List.of(), readyKeys(other, env));
        ready(holder, env).body("items.key", contains(job)).body("items[0].heldByCaller", is(true));

        clock.advance(Duration.ofSeconds(31));
        ready(other, env).body("items.key", contains(job)).body("items[0].heldByCaller", is(false));
    }

    @Test
    void doneEntitiesAreLeftOut() {
        String done = completionType();
        String env = Api.environment();
        String finished = Api.job(env);
        String open = Api.job(env);
        deposit(Api.agent(), finished, done, null);
        assertEquals(List.of(open), readyKeys(Api.agent(), env));
    }

    @Test
    void anEntityWithAnUnfinishedDependencyIsReadyOnceItIsDone() {
        String done = completionType();
        String env = Api.environment();
        String first = Api.job(env);
        String then = Api.job(env);
        Api.Agent agent = Api.agent();
        agent.call().body(Map.of("dependsOn", "job/" + first)).post("/entities/job/" + then + "/dependencies")
                .then().statusCode(201);
        assertEquals(List.of(first), readyKeys(agent, env));

        deposit(agent, first, done, null);
        assertEquals(List.of(then), readyKeys(agent, env));
    }

    @Test
    void taskNotReadyLeavesTheEntityOutUntilItIsRemoved() {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent scout = Api.agent();
        long id = ((Number) scout.call().body(Map.of("type", "task_not_ready")).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(201).extract().path("id")).longValue();
        assertEquals(List.of(), readyKeys(scout, env));
        scout.call().delete("/pheromones/" + id).then().statusCode(204);
        assertEquals(List.of(job), readyKeys(scout, env));
    }

    @Test
    void saturatedEntitiesAreLeftOutAndSaturationDecaysBackIn() {
        String env = Api.environment();
        String crowded = Api.job(env);
        String light = Api.job(env);
        deposit(Api.agent(), crowded, "saturation", 3.0);
        deposit(Api.agent(), light, "saturation", 1.0);
        Api.Agent worker = Api.agent();
        assertEquals(List.of(light), readyKeys(worker, env));
        // saturation halves every 1800 s: 3.0 falls under 2.5 after one half-life
        clock.advance(Duration.ofSeconds(1800));
        assertEquals(List.of(crowded, light), readyKeys(worker, env));
    }

    @Test
    void filesBlockedAtL4ByAnotherAgentLeaveOutEntitiesThatNeedThem() {
        String env = Api.environment();
        String held = Api.job(env);
        String denied = Api.job(env);
        String elsewhere = Api.job(env);
        Api.Agent holder = Api.agent();
        Api.Agent worker = Api.agent();
        holder.call().body(Map.of("entity", "job/" + held, "files", List.of(Map.of("path", "src/a.txt", "level", 4)),
                "description", "rewrite a", "leaseSeconds", 600)).post("/environments/" + env + "/intents")
                .then().statusCode(201);
        // the worker's intent on a.txt for another job is denied: that job now carries files_blocked
        worker.call().body(Map.of("entity", "job/" + denied, "files", List.of(Map.of("path", "src/a.txt", "level", 2)),
                "description", "touch a", "leaseSeconds", 600)).post("/environments/" + env + "/intents")
                .then().statusCode(409);
        // an intent on other files leaves its job ready
        worker.call().body(Map.of("entity", "job/" + elsewhere, "files", List.of(Map.of("path", "src/b.txt", "level", 2)),
                "description", "touch b", "leaseSeconds", 600)).post("/environments/" + env + "/intents")
                .then().statusCode(201);

        assertEquals(List.of(elsewhere), readyKeys(worker, env));
        // the holder's own hold blocks nothing for it
        assertEquals(List.of(held, denied, elsewhere), readyKeys(holder, env));

        // once the L4 hold lapses, nothing is blocked
        clock.advance(Duration.ofSeconds(601));
        assertEquals(List.of(held, denied, elsewhere), readyKeys(worker, env));
    }

    @Test
    void theCallersOwnIntentOnBlockedFilesLeavesOutAJobBlockedOnThem() {
        String env = Api.environment();
        String mine = Api.job(env);
        String blocked = Api.job(env);
        Api.Agent holder = Api.agent();
        Api.Agent worker = Api.agent();
        // the worker holds src/dir/ at L1 on its own job; the holder's L4 on a file beneath it is then granted
        worker.call().body(Map.of("entity", "job/" + mine, "files", List.of(Map.of("path", "src/dir/", "level", 1)),
                "description", "dir", "leaseSeconds", 600)).post("/environments/" + env + "/intents")
                .then().statusCode(201);
        holder.call().body(Map.of("entity", "job/" + blocked, "files", List.of(Map.of("path", "src/dir/x.txt", "level", 4)),
                "description", "x", "leaseSeconds", 600, "mode", "partial")).post("/environments/" + env + "/intents")
                .then().statusCode(201);
        // the holder's job carries files_blocked naming a file the worker's own intent needs
        List<String> keys = readyKeys(worker, env);
        assertTrue(!keys.contains(blocked), keys.toString());
        assertTrue(keys.contains(mine), keys.toString());
    }

    @Test
    void theRoleSliceAndTheKindFilterNarrowThePage() {
        String env = Api.environment();
        String job = Api.job(env);
        String mr = Api.fresh("MR");
        Api.asAdmin().body(Map.of("environment", env, "title", "MR")).put("/entities/merge-request/" + mr)
                .then().statusCode(201);
        deposit(Api.agent(), job, "importance", 4.0);
        String role = "r" + Api.fresh("x").replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "reviews merge requests")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("reads", List.of("saturation"), "writes", List.of(), "reinforces", List.of(),
                        "localQuery", Map.of("entityKinds", List.of("merge-request"), "types", List.of(),
                                "minIntensity", 0, "limit", 10)))
                .put("/roles/" + role + "/slice").then().statusCode(200);
        Api.Agent narrow = Api.agent(role);
        ready(narrow, env).body("items.entity", contains("merge-request/" + mr))
                .body("items[0].reason", containsString("does not read importance"));
        narrow.call().queryParam("kind", "job").get("/environments/" + env + "/ready").then().statusCode(200)
                .body("items", empty());

        Api.Agent any = Api.agent();
        any.call().queryParam("kind", "job").get("/environments/" + env + "/ready").then().statusCode(200)
                .body("items.entity", contains("job/" + job));
        ready(any, env).body("items.entity", contains("job/" + job, "merge-request/" + mr));
    }

    @Test
    void pagingVisitsEveryUnchangedEntityOnceWhileOthersChange() {
        String env = Api.environment();
        Api.Agent scout = Api.agent();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String job = Api.job(env);
            jobs.add(job);
            if (i % 3 != 0) {
                deposit(scout, job, "importance", (double) (1 + i % 4));
            }
        }
        Api.Agent worker = Api.agent();
        Api.Agent rival = Api.agent();
        List<String> expected = readyKeys(worker, env);
        assertEquals(12, expected.size());

        List<String> seen = new ArrayList<>();
        Set<String> changed = new HashSet<>();
        String after = null;
        int page = 0;
        do {
            var request = worker.call().queryParam("limit", 5);
            if (after != null) {
                request = request.queryParam("after", after);
            }
            var body = request.get("/environments/" + env + "/ready").then().statusCode(200).extract().jsonPath();
            seen.addAll(body.getList("items.key", String.class));
            after = body.getString("nextAfter");
            // between pages: a new important job, more importance on a job already read, a rival locks an unread
            // job, and time passes
            String fresh = Api.job(env);
            deposit(scout, fresh, "importance", 9.0);
            changed.add(fresh);
            deposit(Api.agent(), seen.get(0), "importance", 5.0);
            String unread = expected.get(expected.size() - 1 - page);
            if (!seen.contains(unread)) {
                rival.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + unread + "/lock").then().statusCode(201);
                changed.add(unread);
            }
            clock.advance(Duration.ofSeconds(5));
            page++;
        } while (after != null && page < 10);

        assertEquals(new HashSet<>(seen).size(), seen.size(), "no entity twice: " + seen);
        for (String job : expected) {
            if (!changed.contains(job)) {
                assertTrue(seen.contains(job), job + " unchanged but never seen: " + seen);
            }
        }
        for (String job : seen) {
            assertTrue(!changed.contains(job) || !jobs.contains(job), "a job locked by the rival was answered: " + job);
        }
    }

    @Test
    void aBadCursorIs400AndAnUnknownEnvironment404() {
        Api.Agent agent = Api.agent();
        String env = Api.environment();
        agent.call().queryParam("after", "not-a-cursor").get("/environments/" + env + "/ready").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-input"));
        agent.call().queryParam("limit", 0).get("/environments/" + env + "/ready").then().statusCode(400);
        agent.call().get("/environments/" + Api.fresh("nope") + "/ready").then().statusCode(404);
    }
}
