package dev.stigmergy.mergerequest;

import dev.stigmergy.git.TestRepo;
import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.stigmergy.git.TestRepo.lines;
import static dev.stigmergy.git.TestRepo.replaceLine;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Merge requests bound to branches and the conflict radar (issue 28). */
@QuarkusTest
class MergeRequestRadarTest {

    private static final String BASE = lines(60);

    @Inject
    RefPoller poller;

    /** main with a.txt (60 lines) and b.txt; one branch per name forked from it. */
    private static TestRepo repoWith(String... branches) throws Exception {
        TestRepo repo = TestRepo.create();
        repo.write("src/a.txt", BASE).write("src/b.txt", lines(20)).commit("base");
        for (String branch : branches) {
            repo.checkout("main").branch(branch);
        }
        repo.checkout("main");
        return repo;
    }

    private static String environmentOn(TestRepo repo) {
        String name = Api.fresh("env");
        Api.asAdmin().body(Map.of("name", name, "repository", repo.dir.toString())).post("/environments")
                .then().statusCode(201);
        return name;
    }

    private static Map<String, Object> mr(String source) {
        return Map.of("title", "MR of " + source, "sourceRef", source, "targetRef", "main");
    }

    private static void put(Api.Agent agent, String env, String key, String source, int status) {
        agent.call().body(mr(source)).put("/environments/" + env + "/merge-requests/" + key).then().statusCode(status);
    }

    private static List<Map<String, Object>> signals(String key, String type) {
        return Api.asAdmin().get("/entities/merge-request/" + key + "/pheromones").then().statusCode(200).extract()
                .jsonPath().getList("pheromones.findAll { it.type == '" + type + "' }");
    }

    private static Map<String, Object> refsMoved(String env) {
        return Api.asAdmin().post("/environments/" + env + "/refs").then().statusCode(200).extract().jsonPath()
                .getMap("");
    }

    @Test
    void collidingMergeRequestsCarryTheRiskOnBothNamingTheOtherFilesAndHunks() throws Exception {
        try (TestRepo repo = repoWith("one", "two", "far")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 20, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 20, "TWO")).commit("two");
            repo.checkout("far").write("src/b.txt", replaceLine(lines(20), 3, "FAR")).commit("far");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = Api.fresh("MR"), two = Api.fresh("MR"), far = Api.fresh("MR");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            put(author, env, far, "far", 201);

            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then().statusCode(200)
                    .body("mergeRequests", hasSize(3))
                    .body("pairs", hasSize(1))
                    .body("pairs[0].conflicts", equalTo(true))
                    .body("pairs[0].files[0].path", equalTo("src/a.txt"))
                    .body("pairs[0].files[0].collidingHunks[0][0].startLine", equalTo(20));
            List<Map<String, Object>> onOne = signals(one, "merge_conflict_risk");
            assertEquals(1, onOne.size());
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) onOne.get(0).get("payload");
            assertEquals("merge-request/" + two, payload.get("other"));
            assertEquals(true, payload.get("conflicts"));
            assertEquals(1, signals(two, "merge_conflict_risk").size());
            assertEquals(0, signals(far, "merge_conflict_risk").size());
            // agents cannot forge it
            author.call().body(Map.of("type", "merge_conflict_risk")).post("/entities/merge-request/" + far + "/pheromones")
                    .then().statusCode(403);
            Api.asAdmin().queryParam("environment", env).queryParam("type", "merge-request.conflict").get("/events")
                    .then().body("events", hasSize(1));
        }
    }

    @Test
    void aMovedSourceRecomputesOnlyItsPairsAndUnchangedCommitsComeFromTheCache() throws Exception {
        try (TestRepo repo = repoWith("one", "two", "three")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 5, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 30, "TWO")).commit("two");
            repo.checkout("three").write("src/b.txt", replaceLine(lines(20), 3, "THREE")).commit("three");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = "A" + Api.fresh("mr"), two = "B" + Api.fresh("mr"), three = "C" + Api.fresh("mr");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            put(author, env, three, "three", 201);
            String first = repo.head("one");

            Map<String, Object> idle = refsMoved(env);
            assertEquals(List.of(), idle.get("moved"));
            assertEquals(List.of(), idle.get("recomputed"));

            repo.checkout("one").write("src/a.txt", replaceLine(replaceLine(BASE, 5, "ONE"), 31, "ONE")).commit("one again");
            Map<String, Object> read = refsMoved(env);
            assertEquals(List.of(one), read.get("moved"));
            assertEquals(List.of(List.of(one, two), List.of(one, three)), read.get("recomputed"));
            assertEquals(List.of(List.of(one, two)), read.get("colliding")); // line 31 touches two's line 30
            assertEquals(1, signals(two, "merge_conflict_risk").size());

            // back to a commit already compared: answered from the cache, nothing recomputed
            repo.checkout("main").forceBranch("one", first);
            Map<String, Object> back = refsMoved(env);
            assertEquals(List.of(one), back.get("moved"));
            assertEquals(List.of(), back.get("recomputed"));
            assertEquals(List.of(List.of(one, two), List.of(one, three)), back.get("cached"));
            assertEquals(0, signals(two, "merge_conflict_risk").size());
        }
    }

    /**
     * Decision 0005: a pair's trial merge is of the two sources against their own merge base, so a moving target
     * recomputes no pair; it moves the merge requests' target commit and changed files (diffed from the new
     * merge base), and the pairs' signals stay as they were.
     */
    @Test
    void aMovedTargetRecomputesNoPairAndKeepsTheRiskButFollowsTheChangedFiles() throws Exception {
        try (TestRepo repo = repoWith("one", "two")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 20, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 20, "TWO"))
                    .write("src/b.txt", replaceLine(lines(20), 3, "TWO")).commit("two");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = "A" + Api.fresh("mr"), two = "B" + Api.fresh("mr");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            assertEquals(1, signals(one, "merge_conflict_risk").size());

            // the target takes two's change of b.txt (another merge request's commit landed on main)
            repo.checkout("main").write("src/b.txt", replaceLine(lines(20), 3, "TWO")).commit("main moves");
            Map<String, Object> read = refsMoved(env);
            assertEquals(List.of(one, two), read.get("moved"));
            assertEquals(List.of(), read.get("recomputed"));
            assertEquals(List.of(), read.get("cached"));
            assertEquals(List.of(), read.get("colliding"));
            Api.asAdmin().get("/environments/" + env + "/merge-requests").then()
                    .body("find { it.key == '" + two + "' }.targetCommit", equalTo(repo.head("main")))
                    .body("find { it.key == '" + two + "' }.changedFiles", equalTo(List.of("src/a.txt", "src/b.txt")));
            // the risk and the matrix are unchanged, and no conflict event was appended again
            assertEquals(1, signals(one, "merge_conflict_risk").size());
            assertEquals(1, signals(two, "merge_conflict_risk").size());
            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then()
                    .body("pairs", hasSize(1)).body("pairs[0].conflicts", equalTo(true));
            Api.asAdmin().queryParam("environment", env).queryParam("type", "merge-request.conflict").get("/events")
                    .then().body("events", hasSize(1));
            Api.asAdmin().queryParam("environment", env).queryParam("type", "merge-request.moved").get("/events")
                    .then().body("events", hasSize(4)); // the two first reads, then the target's move on both

            // main merges two for real: two's changes are all in the target, its changed files follow
            repo.checkout("one").forceBranch("main", repo.head("two"));
            read = refsMoved(env);
            assertEquals(List.of(one, two), read.get("moved"));
            assertEquals(List.of(), read.get("recomputed"));
            Api.asAdmin().get("/environments/" + env + "/merge-requests").then()
                    .body("find { it.key == '" + two + "' }.changedFiles", equalTo(List.of()));
        }
    }

    @Test
    void pollingReadsTheRefsOfEveryEnvironmentWithOpenMergeRequests() throws Exception {
        try (TestRepo repo = repoWith("one", "two")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 10, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 50, "TWO")).commit("two");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = Api.fresh("MR"), two = Api.fresh("MR");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then().body("pairs", hasSize(0));

            repo.checkout("two").write("src/a.txt", replaceLine(replaceLine(BASE, 50, "TWO"), 10, "TWO")).commit("two again");
            assertTrue(poller.poll() >= 1);
            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then()
                    .body("pairs", hasSize(1)).body("pairs[0].conflicts", equalTo(true));
            Api.asAdmin().get("/environments/" + env + "/merge-requests").then()
                    .body("find { it.key == '" + two + "' }.sourceCommit", equalTo(repo.head("two")));
        }
    }

    @Test
    void theRiskIsRetractedWhenThePairStopsCollidingOrAMergeRequestCloses() throws Exception {
        try (TestRepo repo = repoWith("one", "two")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 20, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 20, "TWO")).commit("two");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = Api.fresh("MR"), two = Api.fresh("MR");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            assertEquals(1, signals(one, "merge_conflict_risk").size());

            // two gives up its edit of line 20: the pair no longer collides
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 50, "TWO")).commit("elsewhere");
            refsMoved(env);
            assertEquals(0, signals(one, "merge_conflict_risk").size());
            assertEquals(0, signals(two, "merge_conflict_risk").size());
            Api.asAdmin().queryParam("environment", env).queryParam("type", "merge-request.conflict-cleared")
                    .get("/events").then().body("events", hasSize(1));

            // collide again, then close one: both signals go and the pair leaves the matrix
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 20, "AGAIN")).commit("again");
            refsMoved(env);
            assertEquals(1, signals(two, "merge_conflict_risk").size());
            author.call().body(Map.of("title", "closed", "sourceRef", "one", "targetRef", "main", "state", "closed"))
                    .put("/environments/" + env + "/merge-requests/" + one).then().statusCode(200)
                    .body("state", equalTo("closed"));
            assertEquals(0, signals(one, "merge_conflict_risk").size());
            assertEquals(0, signals(two, "merge_conflict_risk").size());
            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then()
                    .body("pairs", hasSize(0)).body("mergeRequests", hasSize(1));
            Api.asAdmin().get("/entities/merge-request/" + one).then().body("status", equalTo("closed"));
        }
    }

    @Test
    void aMergeRequestMergedThroughTheEntityApiLeavesTheRadarAtTheNextRead() throws Exception {
        try (TestRepo repo = repoWith("one", "two")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 20, "ONE")).commit("one");
            repo.checkout("two").write("src/a.txt", replaceLine(BASE, 20, "TWO")).commit("two");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String one = Api.fresh("MR"), two = Api.fresh("MR");
            put(author, env, one, "one", 201);
            put(author, env, two, "two", 201);
            assertEquals(1, signals(two, "merge_conflict_risk").size());

            author.call().body(Map.of("environment", env, "title", "merged", "status", "merged"))
                    .put("/entities/merge-request/" + one).then().statusCode(200);
            refsMoved(env);
            assertEquals(0, signals(two, "merge_conflict_risk").size());
            Api.asAdmin().get("/environments/" + env + "/merge-requests").then()
                    .body("find { it.key == '" + one + "' }.state", equalTo("merged"));
            Api.asAdmin().get("/environments/" + env + "/merge-requests/conflicts").then().body("pairs", hasSize(0));
        }
    }

    @Test
    void filesHeldAtL3OrL4ByAnotherAgentShowOnTheMergeRequestAsFilesBlocked() throws Exception {
        try (TestRepo repo = repoWith("one")) {
            repo.checkout("one").write("src/a.txt", replaceLine(BASE, 20, "ONE")).commit("one");
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            Api.Agent holder = Api.agent();
            String job = Api.job(env);
            String one = Api.fresh("MR");
            put(author, env, one, "one", 201);
            assertEquals(0, signals(one, "files_blocked").size());

            long intent = holder.call().body(Map.of("entity", "job/" + job, "description", "work", "leaseSeconds", 600,
                            "files", List.of(Map.of("path", "src/a.txt", "level", 4))))
                    .post("/environments/" + env + "/intents").then().log().ifValidationFails().statusCode(201).extract().jsonPath()
                    .getLong("intent.id");
            refsMoved(env);
            List<Map<String, Object>> blocked = signals(one, "files_blocked");
            assertEquals(1, blocked.size());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> files = (List<Map<String, Object>>) ((Map<String, Object>) blocked.get(0).get("payload")).get("files");
            assertEquals("src/a.txt", files.get(0).get("path"));
            assertEquals(holder.id(), files.get(0).get("holder"));
            assertTrue(files.get(0).containsKey("expiresAt"));

            // the author's own holds never block its merge request; the holder's completion lifts the signal
            holder.call().post("/intents/" + intent + "/complete").then().statusCode(200);
            refsMoved(env);
            assertEquals(0, signals(one, "files_blocked").size());
        }
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws Exception {
        try (TestRepo repo = repoWith("one")) {
            String env = environmentOn(repo);
            Api.Agent author = Api.agent();
            String key = Api.fresh("MR");
            author.call().body(Map.of("title", "x", "sourceRef", "--upload-pack=x", "targetRef", "main"))
                    .put("/environments/" + env + "/merge-requests/" + key).then().statusCode(400);
            author.call().body(Map.of("title", "x", "sourceRef", "one", "targetRef", "main", "state", "draft"))
                    .put("/environments/" + env + "/merge-requests/" + key).then().statusCode(400);
            author.call().body(mr("one")).put("/environments/" + Api.environment() + "/merge-requests/" + key)
                    .then().statusCode(400); // no repository
            author.call().body(mr("one")).put("/environments/no-such-env/merge-requests/" + key).then().statusCode(404);
            Api.asAdmin().get("/environments/" + env + "/merge-requests").then().body("", hasSize(0));
            Api.asAdmin().post("/environments/no-such-env/refs").then().statusCode(404);
        }
    }
}
