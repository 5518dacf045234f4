package dev.stigmergy.agent;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
class AgentAuthenticationTest {

    @Test
    void registerAnswersTheTokenOnceAndTheTokenAuthenticates() {
        String id = Api.fresh("worker");
        String token = asAdmin().body(Map.of("id", id, "displayName", "Worker", "roles", List.of("worker", "agent")))
                .post("/agents")
                .then().statusCode(201)
                .body("agent.id", equalTo(id))
                .body("agent.roles", equalTo(List.of("worker", "agent")))
                .body("token", startsWith("stg_"))
                .extract().path("token");

        asAdmin().get("/agents/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("token", nullValue())
                .body("tokenHash", nullValue());
        Api.as(token).get("/agents/me").then().statusCode(200)
                .body("agent.id", equalTo(id))
                .body("actingRole", equalTo("worker"));
    }

    @Test
    void registeringWithoutRolesGivesTheAgentRole() {
        Api.Agent agent = Api.agent();
        agent.call().get("/agents/me").then().statusCode(200)
                .body("agent.roles", equalTo(List.of("agent")));
    }

    @Test
    void callWithoutTokenAnswers401Problem() {
        RestAssured.given().get("/environments").then().statusCode(401)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unauthenticated"))
                .body("status", equalTo(401))
                .body("detail", startsWith("send 'Authorization: Bearer"));
    }

    @Test
    void unknownTokenAnswers401Problem() {
        Api.as("stg_not-a-real-token").get("/environments").then().statusCode(401)
                .contentType("application/problem+json")
                .body("detail", equalTo("the bearer token belongs to no agent"));
    }

    @Test
    void malformedAuthorizationHeaderAnswers401() {
        RestAssured.given().header("Authorization", "Basic YWRtaW46YWRtaW4=").get("/environments")
                .then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void reviewerWriteAnswers403AndCreatesNothing() {
        Api.Agent reviewer = Api.agent("reviewer");
        String name = Api.fresh("env");
        reviewer.call().body(Map.of("name", name)).post("/environments").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"))
                .body("detail", equalTo("role 'reviewer' is read-only"));
        asAdmin().get("/environments/" + name).then().statusCode(404);
    }

    @Test
    void reviewerReadsEverything() {
        Api.Agent reviewer = Api.agent("reviewer");
        reviewer.call().queryParam("after", Api.justBefore(reviewer.id())).get("/agents").then().statusCode(200)
                .body("agents.id", hasItem(reviewer.id()));
        reviewer.call().get("/events").then().statusCode(200);
    }

    @Test
    void roleHeaderSelectsADeclaredRoleAndRefusesOthers() {
        Api.Agent agent = Api.agent("worker", "reviewer");
        agent.call().header("X-Stigmergy-Role", "reviewer").get("/agents/me").then().statusCode(200)
                .body("actingRole", equalTo("reviewer"));
        agent.call().header("X-Stigmergy-Role", "reviewer").body(Map.of("name", Api.fresh("env")))
                .post("/environments").then().statusCode(403);
        agent.call().header("X-Stigmergy-Role", "admin").get("/agents/me").then().statusCode(403)
                .contentType("application/problem+json");
    }

    @Test
    void onlyAdminRegistersAgents() {
        Api.Agent worker = Api.agent("worker");
        String id = Api.fresh("sneaky");
        worker.call().body(Map.of("id", id, "displayName", "x", "roles", List.of("admin")))
                .post("/agents").then().statusCode(403).body("type", equalTo("/problems/forbidden"));
        asAdmin().get("/agents/" + id).then().statusCode(404);
    }

    @Test
    void registeringATakenIdAnswers409() {
        Api.Agent agent = Api.agent();
        asAdmin().body(Map.of("id", agent.id(), "displayName", "again")).post("/agents")
                .then().statusCode(409).body("type", equalTo("/problems/already-exists"));
    }

    @Test
    void unknownRoleAnswers400() {
        asAdmin().body(Map.of("id", Api.fresh("a"), "displayName", "x", "roles", List.of("wizard")))
                .post("/agents").then().statusCode(400).body("detail", equalTo("role 'wizard' is not registered"));
    }

    @Test
    void bodyNamingAnotherAgentIsRejected() {
        Api.Agent agent = Api.agent();
        String name = Api.fresh("env");
        agent.call().body(Map.of("name", name, "agent", "admin")).post("/environments")
                .then().statusCode(400)
                .body("type", equalTo("/problems/unknown-field"))
                .body("detail", equalTo("unknown field 'agent': the acting agent is always the bearer token's agent"));
        asAdmin().get("/environments/" + name).then().statusCode(404);
    }

    @Test
    void rolesAreListed() {
        asAdmin().get("/roles").then().statusCode(200)
                .body("name", hasItem("reviewer"))
                .body("find { it.name == 'reviewer' }.readOnly", equalTo(true))
                .body("find { it.name == 'agent' }.readOnly", not(equalTo(true)));
    }
}
