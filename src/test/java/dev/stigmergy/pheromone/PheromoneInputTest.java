package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class PheromoneInputTest {

    @Test
    void badDepositsAre4xxProblemsAndChangeNothing() {
        String type = Fixtures.exponentialType(100, Map.of());
        String job = Api.job(Api.environment());
        Api.Agent agent = Api.agent();
        String path = "/entities/job/" + job + "/pheromones";
        agent.call().body(Map.of("type", type, "intensity", -1)).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("intensity"));
        agent.call().body(Map.of("type", type, "intensity", 0)).post(path).then().statusCode(400);
        agent.call().body("{\"type\": \"" + type + "\", \"intensity\": \"NaN\"}").post(path).then().statusCode(400);
        agent.call().body(Map.of("type", "never_registered_type")).post(path).then().statusCode(400)
                .body("detail", containsString("not registered"));
        agent.call().body(Map.of("type", type, "payload", Map.of("blob", "x".repeat(5000)))).post(path)
                .then().statusCode(400).body("detail", containsString("bytes"));
        agent.call().body(Map.of("type", type, "halfLifeSeconds", 5)).post(path).then().statusCode(400)
                .body("detail", containsString("bounds"));
        agent.call().body(Map.of("type", type, "halfLifeSeconds", 100_000)).post(path).then().statusCode(400);
        agent.call().body(Map.of("type", Fixtures.expiryType(60), "halfLifeSeconds", 100)).post(path).then().statusCode(400);
        agent.call().body("{\"type\": ").post(path).then().statusCode(400);
        agent.call().body(Map.of("type", type)).post("/entities/job/NO-SUCH-JOB/pheromones").then().statusCode(404);

        Api.asAdmin().get(path).then().statusCode(200).body("pheromones", hasSize(0));
        Api.asAdmin().queryParam("type", "pheromone.deposited").queryParam("entity", "job/" + job).get("/events")
                .then().body("events", hasSize(0));
    }

    @Test
    void agentsCannotDepositOrRemoveServiceOwnedSignals() {
        String job = Api.job(Api.environment());
        Api.asAdmin().body(Map.of("type", "files_blocked")).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(403).body("type", equalTo("/problems/service-owned-signal"));
    }

    @Test
    void onlyTheDepositorRemovesItsDeposit() {
        String job = Api.job(Api.environment());
        Api.Agent owner = Api.agent();
        long id = Fixtures.deposit(owner, job, Fixtures.expiryType(60), 1.0);
        Api.agent().call().delete("/pheromones/" + id).then().statusCode(403);
        owner.call().delete("/pheromones/" + id).then().statusCode(204);
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(404);
        Api.asAdmin().queryParam("type", "pheromone.removed").queryParam("entity", "job/" + job).get("/events")
                .then().body("events", hasSize(1));
    }

    @Test
    void badVerdictsAndClaimsAre400() {
        long id = Fixtures.deposit(Api.agent(), Api.job(Api.environment()), Fixtures.exponentialType(100, Map.of()), 2.0);
        Api.Agent validator = Api.agent("validator");
        validator.call().body(Map.of("approve", true, "penalty", 1)).post("/pheromones/" + id + "/verdicts")
                .then().statusCode(400);
        validator.call().body(Map.of("approve", true, "boost", -1)).post("/pheromones/" + id + "/verdicts")
                .then().statusCode(400);
        validator.call().body(Map.of("boost", 1)).post("/pheromones/" + id + "/verdicts").then().statusCode(400);
        Api.agent("worker").call().body(Map.of("leaseSeconds", 0)).post("/pheromones/" + id + "/claim")
                .then().statusCode(400);
    }
}
