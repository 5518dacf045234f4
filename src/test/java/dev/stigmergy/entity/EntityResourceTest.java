package dev.stigmergy.entity;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class EntityResourceTest {

    @Test
    void putCreatesThenUpdates() {
        String env = Api.environment();
        Api.Agent agent = Api.agent();
        String key = Api.fresh("COD2");
        agent.call().body(Map.of("environment", env, "title", "Fix login")).put("/entities/job/" + key)
                .then().statusCode(201)
                .body("address", equalTo("job/" + key))
                .body("status", equalTo("open"))
                .body("createdBy", equalTo(agent.id()));
        agent.call().body(Map.of("environment", env, "title", "Fix login flow", "status", "in_progress"))
                .put("/entities/job/" + key)
                .then().statusCode(200)
                .body("title", equalTo("Fix login flow"))
                .body("status", equalTo("in_progress"));
        agent.call().body(Map.of("environment", env, "title", "Fix login, again")).put("/entities/job/" + key)
                .then().statusCode(200).body("status", equalTo("in_progress"));
        asAdmin().get("/entities/job/" + key).then().statusCode(200).body("title", equalTo("Fix login, again"));

        // each write recorded its own event, with what it wrote, in order
        asAdmin().queryParam("entity", "job/" + key).get("/events").then().statusCode(200)
                .body("events", hasSize(3))
                .body("events.type", contains("entity.created", "entity.updated", "entity.updated"))
                .body("events.data.title", contains("Fix login", "Fix login flow", "Fix login, again"))
                .body("events.data.status", contains("open", "in_progress", "in_progress"))
                .body("events.environment", everyItem(equalTo(env)))
                .body("events.agent", everyItem(equalTo(agent.id())));
    }

    @Test
    void putIntoAnotherEnvironmentAnswers409AndChangesNothing() {
        String env = Api.environment();
        String other = Api.environment();
        String key = Api.job(env);
        asAdmin().body(Map.of("environment", other, "title", "moved")).put("/entities/job/" + key)
                .then().statusCode(409);
        asAdmin().get("/entities/job/" + key).then().body("environment", equalTo(env)).body("title", equalTo("Job " + key));
        asAdmin().queryParam("entity", "job/" + key).get("/events").then()
                .body("events.type", contains("entity.created"));
    }

    @Test
    void unknownKindAnswers404() {
        String env = Api.environment();
        asAdmin().body(Map.of("environment", env, "title", "x")).put("/entities/spaceship/K1")
                .then().statusCode(404).body("type", equalTo("/problems/unknown-entity-kind"));
    }

    @Test
    void unknownEnvironmentAnswers404() {
        asAdmin().body(Map.of("environment", Api.fresh("nowhere"), "title", "x")).put("/entities/job/" + Api.fresh("K"))
                .then().statusCode(404).body("detail", org.hamcrest.Matchers.startsWith("environment '"));
    }

    @Test
    void registeredKindIsUsable() {
        String kind = "k" + Api.fresh("x").substring(2, 14).replace("-", "");
        asAdmin().body(Map.of("name", kind, "description", "incidents")).post("/entity-kinds").then().statusCode(201);
        asAdmin().get("/entity-kinds").then().body("name", hasItem(kind)).body("name", hasItem("merge-request"));
        String env = Api.environment();
        asAdmin().body(Map.of("environment", env, "title", "x")).put("/entities/" + kind + "/I-1").then().statusCode(201);
    }

    @Test
    void builtInKindCannotBeRegisteredAgain() {
        asAdmin().body(Map.of("name", "job")).post("/entity-kinds").then().statusCode(409);
    }

    @Test
    void listPagesByAddressWithinAnEnvironment() {
        String env = Api.environment();
        for (String key : new String[]{"A-1", "A-2", "A-3"}) {
            asAdmin().body(Map.of("environment", env, "title", key)).put("/entities/merge-request/" + env + key)
                    .then().statusCode(201);
        }
        String next = asAdmin().queryParam("environment", env).queryParam("limit", 2).get("/entities")
                .then().statusCode(200).body("entities", hasSize(2))
                .body("entities[0].key", equalTo(env + "A-1"))
                .extract().path("nextAfter");
        asAdmin().queryParam("environment", env).queryParam("after", next).get("/entities")
                .then().statusCode(200).body("entities", hasSize(1)).body("entities[0].key", equalTo(env + "A-3"));
    }
}
