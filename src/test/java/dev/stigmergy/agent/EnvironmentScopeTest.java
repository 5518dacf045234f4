package dev.stigmergy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
}
