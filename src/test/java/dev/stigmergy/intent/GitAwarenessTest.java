package dev.stigmergy.intent;

import dev.stigmergy.git.TestRepo;
import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static dev.stigmergy.git.TestRepo.lines;
import static dev.stigmergy.git.TestRepo.replaceLine;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class GitAwarenessTest {

    private static String environmentOn(TestRepo repo) {
        String name = Api.fresh("env");
        Api.asAdmin().body(Map.of("name", name, "repository", repo.dir.toString())).post("/environments").then().statusCode(201);
        return name;
    }

    private static Map<String, Object> l4(String job, String path) {
        return Map.of("entity", "job/" + job, "description", "work", "leaseSeconds", 600,
                "files", List.of(Map.of("path", path, "level", 4)));
    }

    @Test
    void editOverlapsComparesEveryPairAndAgreesWithGitMergeTree() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            String base = lines(40);
            repo.write("src/a.txt", base).write("src/b.txt", lines(5)).commit("base");
            repo.branch("left").write("src/a.txt", replaceLine(base, 3, "L")).commit("left");
            repo.checkout("main").branch("right").write("src/a.txt", replaceLine(base, 3, "R")).commit("right");
            repo.checkout("main").branch("far").write("src/a.txt", replaceLine(base, 35, "F")).commit("far");
            String env = environmentOn(repo);
            List<Map<String, Object>> pairs = Api.agent().call().body(Map.of("refs", List.of("left", "right", "far")))
                    .post("/environments/" + env + "/edit-overlaps").then().statusCode(200)
                    .body("pairs", hasSize(3))
                    .body("pairs[0].files[0].basePath", equalTo("src/a.txt"))
                    .body("pairs[0].conflictingPaths", equalTo(List.of("src/a.txt")))
                    .extract().jsonPath().getList("pairs");
            String[][] names = {{"left", "right"}, {"left", "far"}, {"right", "far"}};
            for (int k = 0; k < 3; k++) {
                assertEquals(repo.gitMergesCleanly(names[k][0], names[k][1]), pairs.get(k).get("clean"), names[k][0] + "/" + names[k][1]);
            }
        }
    }

    @Test
    void aCloneUrlIsMirroredAndFetchedOnDemand() throws Exception {
        try (TestRepo origin = TestRepo.create()) {
            origin.write("a.txt", lines(10)).commit("base");
            origin.branch("one").write("a.txt", replaceLine(lines(10), 2, "one")).commit("one");
            origin.checkout("main");
            String env = Api.fresh("env");
            Api.asAdmin().body(Map.of("name", env, "repository", origin.dir.toUri().toString())).post("/environments")
                    .then().statusCode(201);
            Api.asAdmin().body(Map.of("refs", List.of("main", "one"))).post("/environments/" + env + "/edit-overlaps")
                    .then().statusCode(200).body("pairs[0].changedB", equalTo(List.of("a.txt")));
            // a branch pushed to the origin later is fetched on the next call
            origin.branch("two").write("b.txt", "new\n").commit("two");
            origin.checkout("main");
            Api.asAdmin().body(Map.of("refs", List.of("main", "two"))).post("/environments/" + env + "/edit-overlaps")
                    .then().statusCode(200).body("pairs[0].changedB", equalTo(List.of("b.txt")));
        }
    }

    @Test
    void editOverlapsRefusesUnknownRefsAndEnvironmentsWithoutRepository() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            repo.write("a.txt", "a\n").commit("base");
            String env = environmentOn(repo);
            Api.asAdmin().body(Map.of("refs", List.of("main", "nope"))).post("/environments/" + env + "/edit-overlaps")
                    .then().statusCode(400).body("type", equalTo("/problems/unknown-ref"));
            Api.asAdmin().body(Map.of("refs", List.of("main"))).post("/environments/" + env + "/edit-overlaps")
                    .then().statusCode(400);
            Api.asAdmin().body(Map.of("refs", List.of("main", "main"))).post("/environments/" + Api.environment() + "/edit-overlaps")
                    .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("has no repository"));
        }
    }

    @Test
    void verifyReportsPathsHeldByOthersAtL3OrL4() {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), other = Api.agent();
        holder.call().body(l4(Api.job(env), "src/locked/")).post("/environments/" + env + "/intents").then().statusCode(201);
        other.call().body(Map.of("paths", List.of("src/locked/a.py", "src/free.py"))).post("/environments/" + env + "/verify")
                .then().statusCode(200)
                .body("ok", equalTo(false))
                .body("blocked[0].path", equalTo("src/locked/a.py"))
                .body("blocked[0].holds[0].holder", equalTo(holder.id()));
        holder.call().body(Map.of("paths", List.of("src/locked/a.py"))).post("/environments/" + env + "/verify")
                .then().statusCode(200).body("ok", equalTo(true));
        other.call().body(Map.of("paths", List.of("../x"))).post("/environments/" + env + "/verify").then().statusCode(400);
        other.call().body(Map.of()).post("/environments/" + env + "/verify").then().statusCode(400);
    }

    private static Map<String, Object> l3(String job, String path, int start, int end) {
        return Map.of("entity", "job/" + job, "description", "work", "leaseSeconds", 600,
                "files", List.of(Map.of("path", path, "level", 3, "lineRanges", List.of(Map.of("start", start, "end", end)))));
    }

    private static Map<String, Object> touched(String path, int start, int end) {
        return Map.of("files", List.of(Map.of("path", path, "lineRanges", List.of(Map.of("start", start, "end", end)))));
    }

    @Test
    void verifyJudgesHunksAgainstHeldLineRangesByTheDeclarationRule() {
        String env = Api.environment();
        Api.Agent a = Api.agent(), b = Api.agent();
        String jobA = Api.job(env), jobB = Api.job(env);
        a.call().body(l3(jobA, "src/app.py", 10, 20)).post("/environments/" + env + "/intents").then().statusCode(201);
        b.call().body(l3(jobB, "src/app.py", 40, 50)).post("/environments/" + env + "/intents").then().statusCode(201);

        a.call().body(touched("src/app.py", 12, 14)).post("/environments/" + env + "/verify")
                .then().statusCode(200).body("ok", equalTo(true));
        b.call().body(touched("src/app.py", 45, 46)).post("/environments/" + env + "/verify")
                .then().statusCode(200).body("ok", equalTo(true));
        b.call().body(touched("src/app.py", 12, 14)).post("/environments/" + env + "/verify")
                .then().statusCode(200)
                .body("ok", equalTo(false))
                .body("blocked[0].path", equalTo("src/app.py"))
                .body("blocked[0].lineRanges[0].start", equalTo(12))
                .body("blocked[0].holds", hasSize(1))
                .body("blocked[0].holds[0].holder", equalTo(a.id()))
                .body("blocked[0].holds[0].lineRanges[0].end", equalTo(20));
        // within the context margin of A's range: verify and a declaration agree, line for line
        for (int line : List.of(22, 23, 24, 25)) {
            boolean declarable = b.call().body(Map.of("entity", "job/" + jobB, "description", "dry", "leaseSeconds", 60,
                            "mode", "dry-run", "files", List.of(Map.of("path", "src/app.py", "level", 3,
                                    "lineRanges", List.of(Map.of("start", line, "end", line))))))
                    .post("/environments/" + env + "/intents").then().extract().path("files[0].outcome").equals("granted");
            boolean verified = b.call().body(touched("src/app.py", line, line)).post("/environments/" + env + "/verify")
                    .then().statusCode(200).extract().path("ok");
            assertEquals(declarable, verified, "line " + line + ": verify and declare use one rule");
        }
        b.call().body(Map.of("files", List.of(Map.of("path", "src/app.py")))).post("/environments/" + env + "/verify")
                .then().statusCode(200).body("ok", equalTo(false)).body("blocked[0].holds", hasSize(1));
        b.call().body(Map.of("files", List.of(Map.of("path", "src/app.py")), "paths", List.of("src/app.py")))
                .post("/environments/" + env + "/verify").then().statusCode(400);
        // generated clients send an unset list as []: it does not count as given
        b.call().body(Map.of("paths", List.of(), "files", List.of(Map.of("path", "src/app.py",
                        "lineRanges", List.of(Map.of("start", 45, "end", 46))))))
                .post("/environments/" + env + "/verify").then().statusCode(200).body("ok", equalTo(true));
    }

    @Test
    void verifyJudgesACommitRangesHunksAgainstHeldLineRangesLikeStagedHunks() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            String base = lines(40);
            String from = repo.write("src/a.txt", base).write("src/b.txt", "b\n").commit("base").name();
            String far = repo.write("src/a.txt", replaceLine(base, 30, "far")).commit("far").name();
            String near = repo.write("src/a.txt", replaceLine(replaceLine(base, 30, "far"), 3, "near")).commit("near").name();
            String env = environmentOn(repo);
            Api.Agent holder = Api.agent(), other = Api.agent();
            holder.call().body(l3(Api.job(env), "src/a.txt", 1, 5)).post("/environments/" + env + "/intents").then().statusCode(201);
            other.call().body(Map.of("fromCommit", from, "toCommit", far)).post("/environments/" + env + "/verify")
                    .then().statusCode(200).body("touched", equalTo(List.of("src/a.txt"))).body("ok", equalTo(true));
            other.call().body(Map.of("fromCommit", from, "toCommit", near)).post("/environments/" + env + "/verify")
                    .then().statusCode(200).body("ok", equalTo(false))
                    .body("blocked[0].path", equalTo("src/a.txt"))
                    .body("blocked[0].lineRanges.start", equalTo(List.of(3, 30)))
                    .body("blocked[0].holds[0].holder", equalTo(holder.id()));
            // the same lines sent as staged hunks get the same verdict: one rule
            other.call().body(touched("src/a.txt", 30, 30)).post("/environments/" + env + "/verify")
                    .then().statusCode(200).body("ok", equalTo(true));
            // a deleted file is judged whole
            String deleted = repo.delete("src/a.txt").commit("delete").name();
            other.call().body(Map.of("fromCommit", far, "toCommit", deleted)).post("/environments/" + env + "/verify")
                    .then().statusCode(200).body("ok", equalTo(false)).body("blocked[0].lineRanges", hasSize(0));
        }
    }

    @Test
    void thePrePushHookSendsThePushedHunks() throws Exception {
        Path remote = Files.createTempDirectory("stigmergy-remote");
        try (TestRepo clone = TestRepo.create()) {
            assertEquals(0, new ProcessBuilder("git", "init", "-q", "--bare", remote.toString()).start().waitFor());
            clone.write("app/shared.py", lines(40)).commit("base");
            git(clone, "remote", "add", "origin", remote.toString());
            git(clone, "push", "-q", "origin", "HEAD:refs/heads/main");
            git(clone, "fetch", "-q", "origin");
            String env = Api.environment();
            Api.Agent holder = Api.agent(), pusher = Api.agent();
            holder.call().body(l3(Api.job(env), "app/shared.py", 1, 5)).post("/environments/" + env + "/intents")
                    .then().statusCode(201);
            Path hooks = clone.dir.resolve(".git/hooks");
            for (String hook : List.of("pre-push", "stigmergy-verify.sh")) {
                Files.copy(Path.of("hooks", hook), hooks.resolve(hook), StandardCopyOption.REPLACE_EXISTING);
                hooks.resolve(hook).toFile().setExecutable(true);
            }
            git(clone, "config", "stigmergy.url", "http://localhost:" + RestAssured.port);
            git(clone, "config", "stigmergy.token", pusher.token());
            git(clone, "config", "stigmergy.environment", env);

            clone.write("app/shared.py", replaceLine(lines(40), 30, "far from the held lines")).commit("edit line 30");
            assertEquals(0, git(clone, "push", "origin", "HEAD:refs/heads/main"), "lines outside the held range push");
            clone.write("app/shared.py", replaceLine(replaceLine(lines(40), 30, "far from the held lines"), 3, "mine"))
                    .commit("edit line 3");
            assertNotEquals(0, git(clone, "push", "origin", "HEAD:refs/heads/main"), "a held line is refused");
            // a new branch: its commits not yet on the remote, each against its parent
            assertNotEquals(0, git(clone, "push", "origin", "HEAD:refs/heads/topic"), "also on a new branch");
        }
    }

    @Test
    void thePreCommitHookSendsStagedHunks() throws Exception {
        try (TestRepo clone = TestRepo.create()) {
            clone.write("app/shared.py", lines(40)).commit("base");
            String env = Api.environment();
            Api.Agent holder = Api.agent(), committer = Api.agent();
            holder.call().body(l3(Api.job(env), "app/shared.py", 1, 5)).post("/environments/" + env + "/intents")
                    .then().statusCode(201);
            Path hooks = clone.dir.resolve(".git/hooks");
            for (String hook : List.of("pre-commit", "stigmergy-verify.sh")) {
                Files.copy(Path.of("hooks", hook), hooks.resolve(hook), StandardCopyOption.REPLACE_EXISTING);
                hooks.resolve(hook).toFile().setExecutable(true);
            }
            git(clone, "config", "stigmergy.url", "http://localhost:" + RestAssured.port);
            git(clone, "config", "stigmergy.token", committer.token());
            git(clone, "config", "stigmergy.environment", env);

            clone.write("app/shared.py", replaceLine(lines(40), 30, "far from the held lines"));
            git(clone, "add", "app/shared.py");
            assertEquals(0, git(clone, "commit", "-m", "edit line 30"), "lines outside the held range commit");

            clone.write("app/shared.py", replaceLine(replaceLine(lines(40), 30, "far from the held lines"), 3, "mine"));
            git(clone, "add", "app/shared.py");
            assertNotEquals(0, git(clone, "commit", "-m", "edit line 3"), "a held line is refused");
        }
    }

    @Test
    void verifyAcceptsACommitRangeWithBothSidesOfRenames() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            repo.write("src/old.txt", lines(10)).commit("base");
            String from = repo.commit("noop").name();
            repo.move("src/old.txt", "src/new.txt");
            String to = repo.commit("rename").name();
            String env = environmentOn(repo);
            Api.Agent holder = Api.agent(), other = Api.agent();
            holder.call().body(l4(Api.job(env), "src/old.txt")).post("/environments/" + env + "/intents").then().statusCode(201);
            other.call().body(Map.of("fromCommit", from, "toCommit", to)).post("/environments/" + env + "/verify")
                    .then().statusCode(200)
                    .body("touched", equalTo(List.of("src/new.txt", "src/old.txt")))
                    .body("ok", equalTo(false));
        }
    }

    @Test
    void changesFallBackToTheDefaultBranchWhenHeadIsUnbornAndSkipTheCallersOwnIntents() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            String base = lines(30);
            repo.write("src/a.txt", base).commit("base");
            repo.branch("feature-a").write("src/a.txt", replaceLine(base, 5, "A")).commit("a");
            repo.checkout("main").branch("feature-a2").write("src/a.txt", replaceLine(base, 6, "A2")).commit("a2");
            repo.checkout("main").unbornHead();
            String env = environmentOn(repo);
            Api.Agent a = Api.agent();
            long id = a.call().body(Map.of("entity", "job/" + Api.job(env), "description", "a", "leaseSeconds", 600,
                            "branch", "feature-a", "files", List.of(Map.of("path", "src/a.txt", "level", 1))))
                    .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
            a.call().body(Map.of("entity", "job/" + Api.job(env), "description", "a2", "leaseSeconds", 600,
                            "branch", "feature-a2", "files", List.of(Map.of("path", "src/a.txt", "level", 1))))
                    .post("/environments/" + env + "/intents").then().statusCode(201);
            a.call().get("/intents/" + id + "/changes").then().statusCode(200)
                    .body("base", equalTo("main"))
                    .body("changed", equalTo(List.of("src/a.txt")))
                    .body("overlaps", hasSize(0));
        }
    }

    @Test
    void intentChangesReportUndeclaredEditsAndRealOverlaps() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            String base = lines(30);
            repo.write("src/a.txt", base).write("src/extra.txt", "x\n").commit("base");
            repo.branch("feature-a").write("src/a.txt", replaceLine(base, 10, "A")).write("src/extra.txt", "y\n").commit("a");
            repo.checkout("main").branch("feature-b").write("src/a.txt", replaceLine(base, 10, "B")).commit("b");
            repo.checkout("main");
            String env = environmentOn(repo);
            Api.Agent a = Api.agent(), b = Api.agent(), c = Api.agent();
            long id = a.call().body(Map.of("entity", "job/" + Api.job(env), "description", "a", "leaseSeconds", 600,
                            "branch", "feature-a", "files", List.of(Map.of("path", "src/a.txt", "level", 1))))
                    .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
            long other = b.call().body(Map.of("entity", "job/" + Api.job(env), "description", "b", "leaseSeconds", 600,
                            "branch", "feature-b", "files", List.of(Map.of("path", "src/a.txt", "level", 1))))
                    .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
            long declaredOnly = c.call().body(Map.of("entity", "job/" + Api.job(env), "description", "c", "leaseSeconds", 600,
                            "files", List.of(Map.of("path", "src/extra.txt", "level", 1))))
                    .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");

            Api.asAdmin().get("/intents/" + id + "/changes").then().statusCode(200)
                    .body("changed", equalTo(List.of("src/a.txt", "src/extra.txt")))
                    .body("undeclared", equalTo(List.of("src/extra.txt")))
                    .body("overlaps.find { it.intentId == " + other + " }.conflictingPaths", equalTo(List.of("src/a.txt")))
                    .body("overlaps.find { it.intentId == " + other + " }.files[0].collidingHunks", hasSize(1))
                    .body("overlaps.find { it.intentId == " + declaredOnly + " }.declared", equalTo(List.of("src/extra.txt")));
            Api.asAdmin().get("/intents/" + declaredOnly + "/changes").then().statusCode(400);
        }
    }

    @Test
    void installedHooksRefuseACommitOnAnotherAgentsL4FileAndAcceptFreeFiles() throws Exception {
        String env = Api.environment();
        Api.Agent holder = Api.agent(), committer = Api.agent();
        holder.call().body(l4(Api.job(env), "app/held.py")).post("/environments/" + env + "/intents").then().statusCode(201);
        try (TestRepo clone = TestRepo.create()) {
            clone.write("README.md", "scratch\n").commit("base");
            Path hooks = clone.dir.resolve(".git/hooks");
            for (String hook : List.of("pre-commit", "pre-push", "stigmergy-verify.sh")) {
                Files.copy(Path.of("hooks", hook), hooks.resolve(hook), StandardCopyOption.REPLACE_EXISTING);
                hooks.resolve(hook).toFile().setExecutable(true);
            }
            git(clone, "config", "stigmergy.url", "http://localhost:" + RestAssured.port);
            git(clone, "config", "stigmergy.token", committer.token());
            git(clone, "config", "stigmergy.environment", env);

            clone.write("app/held.py", "print('mine')\n");
            git(clone, "add", "app/held.py");
            assertNotEquals(0, git(clone, "commit", "-m", "touch a held file"), "the hook refuses");

            git(clone, "reset", "-q", "app/held.py");
            clone.write("app/free.py", "print('free')\n");
            git(clone, "add", "app/free.py");
            assertEquals(0, git(clone, "commit", "-m", "touch a free file"), "the hook accepts");

            git(clone, "config", "stigmergy.environment", "not-registered-" + env);
            clone.write("app/other.py", "x\n");
            git(clone, "add", "app/other.py");
            assertEquals(0, git(clone, "commit", "-m", "unregistered environment"), "only a warning");

            git(clone, "config", "stigmergy.environment", env);
            git(clone, "config", "stigmergy.token", "stg_wrong");
            clone.write("app/third.py", "x\n");
            git(clone, "add", "app/third.py");
            assertNotEquals(0, git(clone, "commit", "-m", "service error"), "fails closed on 401");
        }
    }

    private static int git(TestRepo repo, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=t@example.org"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(repo.dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        int code = p.waitFor();
        assertTrue(code == 0 || args[0].equals("commit") || args[0].equals("push"), String.join(" ", args) + ": " + output);
        return code;
    }
}
