package dev.stigmergy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.mcp.McpClient;
import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Environment scopes (issue 27): an agent limited to some environments neither reaches nor sees the others. */
@QuarkusTest
class EnvironmentScopeTest {

    /** Path parameters whose value places a call in one environment. */
    private static final Set<String> ENVIRONMENT_BEARING = Set.of("environment", "name", "kind", "key", "id",
            "dependsOnKind", "dependsOnKey");

    private static Api.Agent scopedTo(String... environments) {
        String id = Api.fresh("agent");
        String token = Api.asAdmin().body(Map.of("id", id, "displayName", "scoped", "roles", List.of("agent"),
                "environments", List.of(environments))).post("/agents").then().statusCode(201)
                .body("agent.environments", contains(environments)).extract().path("token");
        return new Api.Agent(id, token);
    }

    @Test
    void everyEnvironmentBearingPathOfTheSpecAnswers403OutsideTheScopeAndListingsLeaveItOut() throws Exception {
        String mine = Api.environment(), other = Api.environment();
        String myJob = Api.job(mine), otherJob = Api.job(other), otherDependency = Api.job(other);
        Api.Agent scoped = scopedTo(mine), holder = Api.agent();
        // something of every kind in the other environment
        holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + otherJob + "/lock").then().statusCode(201);
        int unlockRequest = Api.asAdmin().body(Map.of("reason", "seen?")).post("/entities/job/" + otherJob
                + "/lock/unlock-requests").then().statusCode(201).extract().path("id");
        long intent = holder.call().body(Map.of("entity", "job/" + otherDependency, "description", "work", "leaseSeconds", 600,
                        "files", List.of(Map.of("path", "a.txt", "level", 2))))
                .post("/environments/" + other + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
        long pheromone = ((Number) holder.call().body(Map.of("type", "importance", "intensity", 5))
                .post("/entities/job/" + otherJob + "/pheromones").then().statusCode(201).extract().path("id")).longValue();
        holder.call().body(Map.of("type", "importance", "intensity", 5)).post("/entities/job/" + myJob + "/pheromones")
                .then().statusCode(201);

        JsonNode spec = new ObjectMapper().readTree(Path.of("openapi/openapi.json").toFile());
        List<String> refused = new ArrayList<>(), listed = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = spec.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = paths.next();
            String template = entry.getKey();
            boolean bearing = !template.startsWith("/agents") && !template.startsWith("/roles")
                    && !template.startsWith("/signal-types")
                    && ENVIRONMENT_BEARING.stream().anyMatch(p -> template.contains("{" + p + "}"));
            String path = template.replace("{role}", "agent").replace("{environment}", other).replace("{name}", template.startsWith("/environments") ? other : "importance")
                    .replace("{dependsOnKind}", "job").replace("{dependsOnKey}", otherDependency)
                    .replace("{kind}", "job").replace("{key}", template.startsWith("/entities") ? otherJob : "MR-1")
                    .replace("{id}", template.startsWith("/pheromones") ? String.valueOf(pheromone)
                            : template.startsWith("/intents") ? String.valueOf(intent) : String.valueOf(unlockRequest));
            for (Iterator<String> methods = entry.getValue().fieldNames(); methods.hasNext(); ) {
                String method = methods.next().toUpperCase();
                if (!Set.of("GET", "POST", "PUT", "DELETE").contains(method)) {
                    continue;
                }
                if (bearing) {
                    Response answer = scoped.call().body(Map.of()).request(method, path);
                    assertEquals(403, answer.statusCode(), method + " " + path + ": " + answer.asString());
                    refused.add(method + " " + template);
                } else if ("GET".equals(method) && !template.endsWith("/stream")) {
                    Response answer = scoped.call().request(method, path);
                    // not refused; (its status is not the point here: a ranking over deposits other test runs made
                    // under a clock advanced past this run's may fail on its own, see the report of issue 27)
                    assertTrue(answer.statusCode() != 403, method + " " + path);
                    assertFalse(answer.asString().contains(other), method + " " + path + " shows " + other + ": "
                            + answer.asString());
                    listed.add(template);
                }
            }
        }
        assertTrue(refused.size() >= 30, "walked " + refused);
        assertTrue(listed.containsAll(List.of("/environments", "/entities", "/locks", "/events", "/unlock-requests",
                "/pheromones/ranking")), "listed " + listed);
        // the query parameter environment answers 403 everywhere, the stream included
        for (String query : List.of("/events", "/entities", "/locks", "/events/stream")) {
            scoped.call().queryParam("environment", other).get(query).then().statusCode(403);
        }
        // what is in scope still works and shows
        scoped.call().get("/environments").then().statusCode(200).body("name", hasItem(mine)).body("name", not(hasItem(other)));
        scoped.call().get("/entities/job/" + myJob).then().statusCode(200);
        scoped.call().body(Map.of("leaseSeconds", 60)).post("/entities/job/" + myJob + "/lock").then().statusCode(201);
        scoped.call().queryParam("environment", mine).get("/events").then().statusCode(200)
                .body("events.type", hasItem("lock.acquired"));
        // an entity is created in the environment its body names: outside the scope, 403 and nothing created
        String stray = Api.fresh("JOB");
        scoped.call().body(Map.of("environment", other, "title", "stray")).put("/entities/job/" + stray).then().statusCode(403);
        Api.asAdmin().get("/entities/job/" + stray).then().statusCode(404);
        // the fencing check names its entity in the body: the same 403, and the same verdict inside the scope
        long token = ((Number) holder.call().get("/entities/job/" + otherJob + "/lock").then().statusCode(200)
                .extract().path("fencingToken")).longValue();
        scoped.call().body(Map.of("entity", "job/" + otherJob, "fencingToken", token)).post("/fencing/check")
                .then().statusCode(403).body("type", equalTo("/problems/forbidden"));
        holder.call().body(Map.of("entity", "job/" + otherJob, "fencingToken", token)).post("/fencing/check")
                .then().statusCode(200).body("current", equalTo(true)).body("environment", equalTo(other));
        scoped.call().body(Map.of("entity", "job/" + myJob, "fencingToken", 1)).post("/fencing/check")
                .then().statusCode(200).body("current", equalTo(false));
    }

    @Test
    void anAdminChangesTheScopeLaterAndEachChangeIsAnEvent() {
        String mine = Api.environment(), other = Api.environment();
        Api.Agent agent = scopedTo(mine);
        agent.call().get("/environments/" + other).then().statusCode(403);

        Api.asAdmin().body(Map.of("environments", List.of(mine, other))).put("/agents/" + agent.id() + "/environments")
                .then().statusCode(200).body("environments", contains(List.of(mine, other).stream().sorted().toArray()));
        agent.call().get("/environments/" + other).then().statusCode(200);

        Api.asAdmin().body(Map.of("environments", List.of())).put("/agents/" + agent.id() + "/environments")
                .then().statusCode(200).body("environments", nullValue());
        agent.call().get("/environments/" + other).then().statusCode(200);
        agent.call().get("/agents/me").then().body("agent.environments", nullValue());

        Api.asAdmin().queryParam("type", "agent.scope-changed").queryParam("limit", 1000).get("/events").then()
                .body("events.findAll { it.data.id == '" + agent.id() + "' }.size()", equalTo(2));
        // only an admin, only existing environments
        agent.call().body(Map.of("environments", List.of(mine))).put("/agents/" + agent.id() + "/environments")
                .then().statusCode(403);
        Api.asAdmin().body(Map.of("environments", List.of(Api.fresh("nowhere")))).put("/agents/" + agent.id() + "/environments")
                .then().statusCode(400);
        Api.asAdmin().body(Map.of("id", Api.fresh("agent"), "displayName", "x", "environments", List.of(Api.fresh("nowhere"))))
                .post("/agents").then().statusCode(400);
    }

    @Test
    void everyMcpToolRefusesOutOfScopeAddressesWithRestsProblemAndListingsLeaveThemOut() {
        String mine = Api.environment(), other = Api.environment();
        String myJob = Api.job(mine), otherJob = Api.job(other), otherIntentJob = Api.job(other);
        Api.Agent holder = Api.agent();
        // the agent holds things in the other environment before an admin limits it to its own
        Api.Agent scoped = Api.agent();
        scoped.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + otherJob + "/lock").then().statusCode(201);
        scoped.call().body(Map.of("entity", "job/" + otherJob, "description", "mine", "leaseSeconds", 600,
                "files", List.of(Map.of("path", "b.txt", "level", 1))))
                .post("/environments/" + other + "/intents").then().statusCode(201);
        long intent = holder.call().body(Map.of("entity", "job/" + otherIntentJob, "description", "work", "leaseSeconds", 600,
                        "files", List.of(Map.of("path", "a.txt", "level", 2))))
                .post("/environments/" + other + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
        int unlockRequest = holder.call().body(Map.of("reason", "mine?")).post("/entities/job/" + otherJob
                + "/lock/unlock-requests").then().statusCode(201).extract().path("id");
        long pheromone = ((Number) holder.call().body(Map.of("type", "importance", "intensity", 5))
                .post("/entities/job/" + otherJob + "/pheromones").then().statusCode(201).extract().path("id")).longValue();
        holder.call().body(Map.of("type", "importance", "intensity", 5)).post("/entities/job/" + myJob + "/pheromones")
                .then().statusCode(201);
        Api.asAdmin().body(Map.of("environments", List.of(mine))).put("/agents/" + scoped.id() + "/environments")
                .then().statusCode(200);

        McpClient mcp = McpClient.open(scoped.token()); // a scoped agent is served at /mcp, not refused at the door
        // an argument of each addressing kind, pointing into the other environment
        Map<String, Object> outside = Map.of("entity", "job/" + otherJob, "environment", other,
                "pheromoneId", pheromone, "intentId", intent, "requestId", unlockRequest);
        Map<String, Object> filler = Map.ofEntries(Map.entry("leaseSeconds", 60), Map.entry("type", "importance"),
                Map.entry("description", "d"), Map.entry("reason", "r"), Map.entry("approve", true),
                Map.entry("decision", "approve"), Map.entry("refs", List.of("HEAD", "HEAD")),
                Map.entry("files", List.of(Map.of("path", "a.txt", "level", 1))));
        List<String> refused = new ArrayList<>(), listed = new ArrayList<>();
        for (Map<String, Object> tool : mcp.tools()) {
            String name = (String) tool.get("name");
            @SuppressWarnings("unchecked")
            Map<String, Object> schema = (Map<String, Object>) tool.get("inputSchema");
            @SuppressWarnings("unchecked")
            Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
            @SuppressWarnings("unchecked")
            List<String> required = (List<String>) schema.getOrDefault("required", List.of());
            Map<String, Object> arguments = new java.util.LinkedHashMap<>();
            for (String argument : properties.keySet()) {
                if (outside.containsKey(argument) && (arguments.keySet().stream().noneMatch(outside::containsKey)
                        || required.contains(argument))) {
                    arguments.put(argument, outside.get(argument)); // request_unlock takes one of entity, intentId
                } else if (required.contains(argument)) {
                    arguments.put(argument, filler.get(argument));
                }
            }
            var answer = mcp.call(name, arguments);
            if (arguments.keySet().stream().anyMatch(outside::containsKey)) {
                assertEquals(Boolean.TRUE, answer.get("result.isError"), name + " " + arguments + ": " + answer.prettify());
                assertEquals("/problems/forbidden", answer.get("result.structuredContent.type"), name);
                assertEquals(403, (int) answer.get("result.structuredContent.status"), name);
                assertTrue(answer.getString("result.structuredContent.detail").contains("outside the scope"), name);
                refused.add(name);
            } else {
                assertEquals(Boolean.FALSE, answer.get("result.isError"), name + ": " + answer.prettify());
                assertFalse(answer.prettify().contains(other), name + " shows " + other + ": " + answer.prettify());
                listed.add(name);
            }
        }
        assertTrue(refused.size() >= 15, "refused " + refused);
        assertTrue(listed.containsAll(List.of("my_holds", "heartbeat")), "listed " + listed);
        var ranking = mcp.call("rank_entities", Map.of("type", "importance", "limit", 1000));
        assertEquals(Boolean.FALSE, ranking.get("result.isError"), ranking.prettify());
        assertFalse(ranking.prettify().contains(other), ranking.prettify());
        // nothing changed by a refusal: the holder's pheromone and the lock are as they were
        Api.asAdmin().get("/entities/job/" + otherJob + "/lock").then().statusCode(200).body("holder", equalTo(scoped.id()));
        holder.call().get("/unlock-requests/" + unlockRequest).then().body("status", equalTo("PENDING"));
        // what is in scope still works, and resources apply the same rule
        assertEquals(Boolean.FALSE, mcp.call("acquire_lock", Map.of("entity", "job/" + myJob, "leaseSeconds", 60))
                .get("result.isError"));
        assertEquals(Boolean.FALSE, mcp.call("ready_work", Map.of("environment", mine)).get("result.isError"));
        var read = mcp.request("resources/read", Map.of("uri", "stigmergy://entities/job/" + otherJob));
        assertTrue(read.getString("error.message").contains("outside the scope"), read.prettify());
        read = mcp.request("resources/read", Map.of("uri", "stigmergy://environments/" + other + "/held-files"));
        assertTrue(read.getString("error.message").contains("outside the scope"), read.prettify());
        read = mcp.request("resources/read", Map.of("uri", "stigmergy://agents/me/holds"));
        assertFalse(read.prettify().contains(other), read.prettify());
    }
}
