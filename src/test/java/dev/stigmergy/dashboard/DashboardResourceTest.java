package dev.stigmergy.dashboard;

import dev.stigmergy.git.TestRepo;
import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.stigmergy.git.TestRepo.lines;
import static dev.stigmergy.git.TestRepo.replaceLine;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The dashboard's pages and reads over HTTP, and what a reviewer token may and may not do. */
@QuarkusTest
class DashboardResourceTest {

    @Test
    void pagesAndAssetsNeedNoTokenAndCarryNoData() {
        RestAssured.given().get("/dashboard").then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("id=\"token\""), containsString("/dashboard-assets/dashboard.js"));
        for (String view : List.of("board", "files", "agents", "feed")) {
            RestAssured.given().get("/dashboard/" + view + "?environment=anything").then().statusCode(200)
                    .contentType(startsWith("text/html")).body(containsString("data-view=\"" + view + "\""));
        }
        RestAssured.given().get("/dashboard-assets/dashboard.js").then().statusCode(200)
                .body(containsString("Last-Event-ID"));
        RestAssured.given().get("/dashboard-assets/dashboard.css").then().statusCode(200);
    }

    @Test
    void dashboardReadsNeedAToken() {
        RestAssured.given().get("/dashboard/api/agents").then().statusCode(401)
                .contentType("application/problem+json");
        RestAssured.given().get("/dashboard/api/environments/x/files").then().statusCode(401);
    }

    @Test
    void agentsCarryTheirLastHeartbeatAndLastChange() {
        Api.Agent reviewer = Api.agent("reviewer");
        Api.Agent beating = Api.agent("agent");
        Api.Agent silent = Api.agent("agent");
        beating.call().post("/agents/me/heartbeat").then().statusCode(200);
        for (Api.Agent agent : List.of(beating, silent)) {
            var page = reviewer.call().get("/dashboard/api/agents?q=" + agent.id()).then().statusCode(200)
                    .body("agents", hasSize(1)).body("matching", equalTo(1)).body("nextAfter", nullValue())
                    .extract().jsonPath();
            org.hamcrest.MatcherAssert.assertThat(page.get("agents[0].id"), equalTo(agent.id()));
            org.hamcrest.MatcherAssert.assertThat(page.get("agents[0].roles"), equalTo(List.of("agent")));
            org.hamcrest.MatcherAssert.assertThat(page.get("agents[0].lastHeartbeatAt"),
                    agent == beating ? notNullValue() : nullValue());
            org.hamcrest.MatcherAssert.assertThat(page.get("agents[0].lastEventAt"),
                    agent == beating ? notNullValue() : nullValue());
        }
    }

    @Test
    void agentAndBoardPagesRefuseBadLimitsAndUnknownEnvironments() {
        Api.Agent reviewer = Api.agent("reviewer");
        for (String read : List.of("/dashboard/api/agents?limit=0", "/dashboard/api/agents?limit=201",
                "/dashboard/api/environments/" + Api.environment() + "/board?limit=101",
                "/dashboard/api/environments/" + Api.environment() + "/board?after=no-slash")) {
            reviewer.call().get(read).then().statusCode(400).contentType("application/problem+json");
        }
        reviewer.call().get("/dashboard/api/environments/" + Api.fresh("nowhere") + "/board").then().statusCode(404)
                .contentType("application/problem+json");
        // LIKE's wildcards in the filter match only themselves
        reviewer.call().get("/dashboard/api/agents?q=%25").then().statusCode(200).body("matching", equalTo(0));
    }

    @Test
    void filesListTheTreeAndTheEditOverlapsOfActiveIntentsBranches() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            String base = lines(20);
            repo.write("src/a.txt", base).write("src/b.txt", lines(5)).commit("base");
            repo.branch("left").write("src/a.txt", replaceLine(base, 3, "L")).commit("left");
            repo.checkout("main").branch("right").write("src/a.txt", replaceLine(base, 3, "R")).commit("right");
            repo.checkout("main");
            String env = Api.fresh("env");
            Api.asAdmin().body(Map.of("name", env, "repository", repo.dir.toString())).post("/environments")
                    .then().statusCode(201);
            Api.Agent reviewer = Api.agent("reviewer");
            reviewer.call().get("/dashboard/api/environments/" + env + "/files").then().statusCode(200)
                    .body("files", equalTo(List.of("src/a.txt", "src/b.txt")))
                    .body("ref", equalTo("HEAD"))
                    .body("overlaps", nullValue())
                    .body("note", containsString("fewer than two"));
            for (String branch : List.of("left", "right")) {
                Api.Agent worker = Api.agent();
                worker.call().body(Map.of("entity", "job/" + Api.job(env), "description", "edit", "leaseSeconds", 600,
                                "branch", branch, "files", List.of(Map.of("path", "src/a.txt", "level", 1))))
                        .post("/environments/" + env + "/intents").then().statusCode(201);
            }
            reviewer.call().get("/dashboard/api/environments/" + env + "/files").then().statusCode(200)
                    .body("branches", equalTo(List.of("left", "right")))
                    .body("overlaps.pairs", hasSize(1))
                    .body("overlaps.pairs[0].conflictingPaths", equalTo(List.of("src/a.txt")))
                    .body("note", nullValue());
        }
    }

    @Test
    void filesOfAnEnvironmentWithoutRepositoryExplainWhyAndUnknownOnesAre404() {
        Api.Agent reviewer = Api.agent("reviewer");
        String env = Api.environment();
        reviewer.call().get("/dashboard/api/environments/" + env + "/files").then().statusCode(200)
                .body("files", empty()).body("note", equalTo("the environment names no repository"));
        reviewer.call().get("/dashboard/api/environments/" + Api.fresh("none") + "/files").then().statusCode(404)
                .contentType("application/problem+json");
    }

    /**
     * Every read the dashboard makes answers a reviewer, and every write beside them is refused with 403 and
     * changes nothing: the dashboard cannot write, and neither can its token.
     */
    @Test
    void aReviewerReadsWhatTheDashboardReadsAndCanWriteNothing() {
        String env = Api.environment();
        String job = "job/" + Api.job(env);
        Api.Agent holder = Api.agent();
        Api.Agent reviewer = Api.agent("reviewer");
        holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/" + job + "/lock").then().statusCode(201);
        long request = Api.agent().call().body(Map.of("reason", "need it")).post("/entities/" + job + "/lock/unlock-requests")
                .then().statusCode(201).extract().jsonPath().getLong("id");

        for (String read : List.of("/agents/me", "/environments", "/signal-types", "/entities?environment=" + env,
                "/entities/" + job, "/entities/" + job + "/pheromones", "/entities/" + job + "/lock",
                "/locks?environment=" + env, "/environments/" + env + "/intents?status=ACTIVE",
                "/unlock-requests?status=PENDING", "/environments/" + env + "/held-files",
                "/environments/" + env + "/blocked-files", "/dashboard/api/agents",
                "/dashboard/api/agents?environment=" + env, "/dashboard/api/environments/" + env + "/board",
                "/dashboard/api/environments/" + env + "/files", "/events?environment=" + env)) {
            reviewer.call().get(read).then().statusCode(200);
        }

        record Write(String method, String path, Object body) {
        }
        List<Write> writes = List.of(
                new Write("POST", "/entities/" + job + "/pheromones", Map.of("type", "importance")),
                new Write("PUT", "/entities/" + job, Map.of("environment", env, "title", "renamed")),
                new Write("POST", "/entities/" + job + "/lock", Map.of("leaseSeconds", 60)),
                new Write("DELETE", "/entities/" + job + "/lock", null),
                new Write("POST", "/entities/" + job + "/lock/force-release", Map.of("reason", "mine now")),
                new Write("POST", "/entities/" + job + "/lock/unlock-requests", Map.of("reason", "let go")),
                new Write("POST", "/unlock-requests/" + request + "/approve", Map.of()),
                new Write("POST", "/environments/" + env + "/intents", Map.of("entity", job, "description", "x",
                        "leaseSeconds", 60, "files", List.of(Map.of("path", "a.txt", "level", 4)))),
                new Write("POST", "/agents/me/heartbeat", null),
                new Write("POST", "/environments", Map.of("name", Api.fresh("env"))));
        for (Write write : writes) {
            var call = reviewer.call();
            if (write.body() != null) {
                call.body(write.body());
            }
            call.request(write.method(), write.path()).then().statusCode(403)
                    .contentType("application/problem+json").body("detail", containsString("read-only"));
        }

        reviewer.call().get("/entities/" + job + "/pheromones").then().body("pheromones", empty());
        reviewer.call().get("/entities/" + job).then().body("title", startsWith("Job "));
        reviewer.call().get("/entities/" + job + "/lock").then().statusCode(200).body("holder", equalTo(holder.id()));
        reviewer.call().get("/environments/" + env + "/intents").then().body("$", empty());
        reviewer.call().get("/unlock-requests?entity=" + job).then().body("$", hasSize(1))
                .body("status", hasItem("PENDING"));
        reviewer.call().get("/events?type=agent.heartbeat&agent=" + reviewer.id()).then().body("events", empty());
    }
}
