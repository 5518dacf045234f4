package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class PheromoneSliceTest {

    @Test
    void aRoleNeverSeesATypeOutsideItsSliceAndCannotWriteOne() {
        String seen = Fixtures.expiryType(600);
        String hidden = Fixtures.expiryType(600);
        String env = Api.environment();
        String job = Api.job(env);
        String role = "r" + Api.fresh("x").replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "narrow")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("reads", List.of(seen), "writes", List.of(seen), "reinforces", List.of(),
                        "localQuery", Map.of("environment", env, "entityKinds", List.of("job"), "types", List.of(),
                                "minIntensity", 0, "limit", 10)))
                .put("/roles/" + role + "/slice").then().statusCode(200);
        Fixtures.deposit(Api.agent(), job, seen, 2.0);
        long hiddenId = Fixtures.deposit(Api.agent(), job, hidden, 5.0);
        Api.Agent narrow = Api.agent(role);

        narrow.call().get("/entities/job/" + job + "/pheromones").then().statusCode(200)
                .body("role", equalTo(role))
                .body("pheromones.type", everyItem(equalTo(seen)))
                .body("aggregates.type", contains(seen));
        narrow.call().get("/pheromones/slice").then().statusCode(200)
                .body("aggregates.type", contains(seen));
        narrow.call().queryParam("type", hidden).get("/pheromones/ranking").then().statusCode(403);
        narrow.call().get("/pheromones/" + hiddenId).then().statusCode(403);
        narrow.call().body(Map.of("type", hidden)).post("/entities/job/" + job + "/pheromones").then().statusCode(403)
                .body("type", equalTo("/problems/outside-role-slice"));
        narrow.call().body(Map.of("type", seen)).post("/entities/job/" + job + "/pheromones").then().statusCode(201);
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().body("aggregates", hasSize(2));
    }

    @Test
    void reviewerReadsEverythingAndWritesNothing() {
        String type = Fixtures.expiryType(600);
        String job = Api.job(Api.environment());
        Fixtures.deposit(Api.agent(), job, type, 1.0);
        Api.Agent reviewer = Api.agent("reviewer");
        reviewer.call().get("/entities/job/" + job + "/pheromones").then().statusCode(200).body("pheromones", hasSize(1));
        reviewer.call().body(Map.of("type", type)).post("/entities/job/" + job + "/pheromones").then().statusCode(403);
    }

    @Test
    void workerCannotDepositAScoutType() {
        String job = Api.job(Api.environment());
        Api.agent("worker").call().body(Map.of("type", "importance")).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(403).body("type", equalTo("/problems/outside-role-slice"));
        Api.agent("scout").call().body(Map.of("type", "importance", "intensity", 7))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201);
    }

    @Test
    void builtInRolesHaveSlices() {
        Api.asAdmin().get("/roles/validator/slice").then().statusCode(200).body("reinforces", contains("*"));
        Api.asAdmin().get("/roles/reviewer/slice").then().statusCode(200).body("writes", hasSize(0));
        Api.asAdmin().get("/roles/no-such-role/slice").then().statusCode(404);
    }

    @Test
    void aSliceSelectorMayHoldAStarInAnySegment() {
        String done = "completion." + Api.fresh("replayed").replace('-', '_').toLowerCase();
        Api.asAdmin().body(Map.of("name", done, "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 600)))
                .post("/signal-types").then().statusCode(201);
        String other = Fixtures.expiryType(600);
        String suffix = done.substring(done.indexOf('.') + 1);
        String role = "r" + Api.fresh("x").replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "reads one kind of completion")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("reads", List.of("*." + suffix), "writes", List.of("*." + suffix), "reinforces", List.of(),
                        "localQuery", Map.of("entityKinds", List.of(), "types", List.of(), "minIntensity", 0, "limit", 10)))
                .put("/roles/" + role + "/slice").then().statusCode(200);
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent narrow = Api.agent(role);
        narrow.call().body(Map.of("type", done)).post("/entities/job/" + job + "/pheromones").then().statusCode(201);
        narrow.call().body(Map.of("type", other)).post("/entities/job/" + job + "/pheromones").then().statusCode(403);
        Fixtures.deposit(Api.agent(), job, other, 1.0);
        narrow.call().get("/entities/job/" + job + "/pheromones").then().statusCode(200)
                .body("pheromones.type", contains(done));
    }

    @Test
    void aBadSliceSelectorIs400NamingWhereItFailsAndChangesNothing() {
        String role = "r" + Api.fresh("x").replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "x")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("reads", List.of("request.*x"), "writes", List.of(), "reinforces", List.of(),
                        "localQuery", Map.of("entityKinds", List.of(), "types", List.of(), "minIntensity", 0, "limit", 10)))
                .put("/roles/" + role + "/slice").then().statusCode(400)
                .body("type", equalTo("/problems/malformed-selector"))
                .body("position", is(9)).body("segment", is(2)).body("selector", equalTo("request.*x"));
        Api.asAdmin().get("/roles/" + role + "/slice").then().statusCode(200).body("reads", contains("*"));
    }
}
