package dev.stigmergy.mcp;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication and Origin rules of {@code /mcp}: the same token rules as REST, checked before any MCP message. */
@QuarkusTest
class McpAccessTest {

    private static final Map<String, Object> INITIALIZE = Map.of("jsonrpc", "2.0", "id", 1, "method", "initialize",
            "params", Map.of("protocolVersion", McpClient.PROTOCOL, "capabilities", Map.of(),
                    "clientInfo", Map.of("name", "test", "version", "1")));

    @Test
    void noTokenAnswers401BeforeAnyMessageIsRead() {
        RestAssured.given().contentType(ContentType.JSON).header("Accept", "application/json, text/event-stream")
                .body(INITIALIZE).post("/mcp")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unauthenticated"))
                .body("detail", containsString("Authorization: Bearer"));
        // not even a malformed message is parsed
        RestAssured.given().contentType(ContentType.JSON).body("{not json").post("/mcp").then().statusCode(401);
        RestAssured.given().get("/mcp").then().statusCode(401);
    }

    @Test
    void unknownTokenAnswers401() {
        RestAssured.given().auth().oauth2("stg_nobody").contentType(ContentType.JSON)
                .header("Accept", "application/json, text/event-stream")
                .body(INITIALIZE).post("/mcp")
                .then().statusCode(401).body("detail", equalTo("the bearer token belongs to no agent"));
    }

    @Test
    void roleTheAgentDidNotDeclareAnswers403() {
        Api.Agent agent = Api.agent();
        RestAssured.given().auth().oauth2(agent.token()).header("X-Stigmergy-Role", "admin")
                .contentType(ContentType.JSON).header("Accept", "application/json, text/event-stream")
                .body(INITIALIZE).post("/mcp")
                .then().statusCode(403).body("type", equalTo("/problems/forbidden"));
    }

    @Test
    void foreignOriginAnswers403EvenWithAValidToken() {
        Api.Agent agent = Api.agent();
        RestAssured.given().auth().oauth2(agent.token()).header("Origin", "https://evil.example")
                .contentType(ContentType.JSON).header("Accept", "application/json, text/event-stream")
                .body(INITIALIZE).post("/mcp")
                .then().statusCode(403)
                .contentType("application/problem+json")
                .body("detail", containsString("Origin 'https://evil.example' may not call /mcp"));
        // a page rebound to a loopback address still names its own origin
        RestAssured.given().auth().oauth2(agent.token()).header("Origin", "http://attacker.example:8080")
                .contentType(ContentType.JSON).body(INITIALIZE).post("/mcp").then().statusCode(403);
        RestAssured.given().auth().oauth2(agent.token()).header("Origin", "null")
                .contentType(ContentType.JSON).body(INITIALIZE).post("/mcp").then().statusCode(403);
    }

    @Test
    void loopbackOriginAndNoOriginAreServed() {
        Api.Agent agent = Api.agent();
        for (String origin : new String[]{"http://localhost:5173", "http://127.0.0.1:8080"}) {
            RestAssured.given().auth().oauth2(agent.token()).header("Origin", origin)
                    .contentType(ContentType.JSON).header("Accept", "application/json, text/event-stream")
                    .body(INITIALIZE).post("/mcp")
                    .then().statusCode(200);
        }
        McpClient client = McpClient.open(agent.token());
        assertFalse(client.tools().isEmpty());
    }

    @Test
    void readOnlyRoleMayReadButWritesAreRefusedAsToolErrors() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent reviewer = Api.agent("reviewer");
        McpClient client = McpClient.open(reviewer.token());

        JsonPath sensed = client.call("sense_entity", Map.of("entity", "job/" + key));
        assertEquals(false, sensed.getBoolean("result.isError"));
        assertEquals("reviewer", sensed.getString("result.structuredContent.role"));

        JsonPath refused = client.call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30));
        assertTrue(refused.getBoolean("result.isError"));
        assertEquals(403, refused.getInt("result.structuredContent.status"));
        assertEquals("role 'reviewer' is read-only", refused.getString("result.structuredContent.detail"));
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(404);
    }

    @Test
    void theActingAgentIsTheTokensAgent() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        JsonPath acquired = McpClient.open(agent.token())
                .call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30, "holder", "someone-else"));
        assertEquals(agent.id(), acquired.getString("result.structuredContent.lock.holder"));
    }
}
