package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
class PheromoneDecayTest {

    private static final double EPS = 1e-9;

    @Inject
    MutableClock clock;

    @Test
    void exponentialIntensityHalvesEveryHalfLifeAndVanishesBelowFloor() {
        String type = Fixtures.exponentialType(100, Map.of());
        String job = Api.job(Api.environment());
        long id = Fixtures.deposit(Api.agent(), job, type, 8.0);
        assertEquals(8.0, Fixtures.intensity(id), EPS);
        clock.advance(Duration.ofSeconds(100));
        assertEquals(4.0, Fixtures.intensity(id), EPS);
        clock.advance(Duration.ofSeconds(50));
        assertEquals(8.0 * Math.pow(2, -1.5), Fixtures.intensity(id), EPS);
        // 8 → 0.05 takes log2(160) half-lives ≈ 732.2 s after the deposit
        clock.advance(Duration.ofSeconds(582));
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(200);
        clock.advance(Duration.ofSeconds(1));
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(404);
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().body("pheromones", hasSize(0));
    }

    @Test
    void expiryIntensityIsConstantUntilExpiresAt() {
        String type = Fixtures.expiryType(60);
        String job = Api.job(Api.environment());
        long id = Fixtures.deposit(Api.agent(), job, type, 3.0);
        clock.advance(Duration.ofSeconds(59));
        assertEquals(3.0, Fixtures.intensity(id), EPS);
        clock.advance(Duration.ofSeconds(1));
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(404);
    }

    @Test
    void reinforcementOnlyStrengthIsTheSumOfVerdictsWithinTheWindow() {
        String type = Fixtures.reinforcementOnlyType(100);
        String job = Api.job(Api.environment());
        Api.Agent validator = Api.agent("validator");
        long id = ((Number) Api.agent().call().body(Map.of("type", type))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201)
                .body("intensity", equalTo(0.0f)).extract().path("id")).longValue();
        validator.call().body(Map.of("approve", true, "boost", 2.0, "trigger", "ci#1"))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201);
        clock.advance(Duration.ofSeconds(50));
        validator.call().body(Map.of("approve", true, "boost", 3.0))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201);
        validator.call().body(Map.of("approve", false, "penalty", 0.5))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201)
                .body("intensityBefore", Fixtures.near(5.0)).body("intensityAfter", Fixtures.near(4.5));
        clock.advance(Duration.ofSeconds(51));
        assertEquals(2.5, Fixtures.intensity(id), EPS);
    }

    @Test
    void repeatDepositFoldsDecayThenAddsAndCaps() {
        String type = Fixtures.exponentialType(100, Map.of());
        String job = Api.job(Api.environment());
        Api.Agent agent = Api.agent();
        long id = Fixtures.deposit(agent, job, type, 8.0);
        clock.advance(Duration.ofSeconds(100));
        agent.call().body(Map.of("type", type, "intensity", 3.0)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(200).body("id", equalTo((int) id)).body("intensity", Fixtures.near(7.0));
        agent.call().body(Map.of("type", type, "intensity", 5.0)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(200).body("intensity", Fixtures.near(10.0));
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200)
                .body("pheromones", hasSize(1))
                .body("aggregates[0].count", equalTo(1));
        // each deposit recorded with the intensity before and after it, the first one included
        List<Map<String, Object>> deposited = Api.asAdmin().queryParam("type", "pheromone.deposited")
                .queryParam("entity", "job/" + job).get("/events").then().statusCode(200).extract().path("events");
        assertEquals(3, deposited.size());
        double[][] expected = {{8.0, 0, 8.0}, {3.0, 4.0, 7.0}, {5.0, 7.0, 10.0}};
        for (int i = 0; i < 3; i++) {
            Map<?, ?> data = (Map<?, ?>) deposited.get(i).get("data");
            assertEquals(agent.id(), deposited.get(i).get("agent"));
            assertEquals((int) id, data.get("pheromone"));
            assertEquals(type, data.get("type"));
            assertEquals(i > 0, data.get("repeat"));
            assertEquals(expected[i][0], ((Number) data.get("added")).doubleValue(), 1e-5);
            assertEquals(expected[i][1], ((Number) data.get("intensityBefore")).doubleValue(), 1e-5);
            assertEquals(expected[i][2], ((Number) data.get("intensity")).doubleValue(), 1e-5);
        }
    }

    @Test
    void depositCapBindsDepositsButNotVerdicts() {
        String type = Fixtures.exponentialType(100, Map.of("depositCap", 5.0));
        String job = Api.job(Api.environment());
        Api.Agent agent = Api.agent();
        long id = Fixtures.deposit(agent, job, type, 4.0);
        agent.call().body(Map.of("type", type, "intensity", 4.0)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(200).body("intensity", Fixtures.near(5.0));
        Api.agent("validator").call().body(Map.of("approve", true, "boost", 3.0))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201)
                .body("intensityAfter", Fixtures.near(8.0));
    }

    @Test
    void verdictFoldsDecayInFirstAndNeverChangesThePayload() {
        String type = Fixtures.exponentialType(100, Map.of());
        String job = Api.job(Api.environment());
        long id = ((Number) Api.agent().call()
                .body(Map.of("type", type, "intensity", 2.0, "payload", Map.of("note", "tests green")))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201).extract().path("id")).longValue();
        clock.advance(Duration.ofSeconds(200));
        Api.Agent validator = Api.agent("validator");
        validator.call().body(Map.of("approve", true, "boost", 1.0, "trigger", "review#7"))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201)
                .body("intensityBefore", Fixtures.near(0.5))
                .body("intensityAfter", Fixtures.near(1.5))
                .body("validator", equalTo(validator.id()))
                .body("trigger", equalTo("review#7"))
                .body("pheromoneAfter.payload.note", equalTo("tests green"));
        Api.asAdmin().queryParam("type", "pheromone.verdict").queryParam("entity", "job/" + job).get("/events")
                .then().body("events", hasSize(1));
    }

    @Test
    void workerMayNotReinforce() {
        String type = Fixtures.exponentialType(100, Map.of());
        long id = Fixtures.deposit(Api.agent(), Api.job(Api.environment()), type, 2.0);
        Api.agent("worker").call().body(Map.of("approve", true)).post("/pheromones/" + id + "/verdicts")
                .then().statusCode(403).body("type", equalTo("/problems/outside-role-slice"));
        assertEquals(2.0, Fixtures.intensity(id), EPS);
    }

    @Test
    void halfLifeOverrideWithinBoundsChangesTheDecay() {
        String type = Fixtures.exponentialType(100, Map.of());
        String job = Api.job(Api.environment());
        long id = ((Number) Api.agent().call().body(Map.of("type", type, "intensity", 4.0, "halfLifeSeconds", 50))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201)
                .body("halfLifeSeconds", equalTo(50)).extract().path("id")).longValue();
        clock.advance(Duration.ofSeconds(50));
        assertEquals(2.0, Fixtures.intensity(id), EPS);
    }

    @Test
    void sensingAggregatesPerTypeAndRanksEntities() {
        String type = Fixtures.expiryType(600);
        String env = Api.environment();
        String hot = Api.job(env);
        String warm = Api.job(env);
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        Fixtures.deposit(a, hot, type, 3.0);
        Fixtures.deposit(b, hot, type, 4.0);
        Fixtures.deposit(a, warm, type, 5.0);
        Api.asAdmin().get("/entities/job/" + hot + "/pheromones").then().statusCode(200)
                .body("aggregates[0].totalIntensity", Fixtures.near(7.0))
                .body("aggregates[0].count", equalTo(2))
                .body("pheromones", hasSize(2));
        Api.asAdmin().queryParam("type", type).queryParam("environment", env).get("/pheromones/ranking")
                .then().statusCode(200)
                .body("aggregates.entity", contains("job/" + hot, "job/" + warm));
        Api.asAdmin().queryParam("type", type).queryParam("environment", env).queryParam("minIntensity", 6)
                .get("/pheromones/ranking").then().body("aggregates.entity", contains("job/" + hot));
        Api.asAdmin().queryParam("type", type).queryParam("environment", env).queryParam("excludeAgent", b.id())
                .get("/pheromones/ranking").then().body("aggregates.entity", contains("job/" + warm));
    }
}
