package dev.stigmergy.environment;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class EnvironmentResourceTest {

    @Test
    void createAnswers201AndTheEnvironmentIsReadable() {
        Api.Agent agent = Api.agent();
        String name = Api.fresh("env");
        agent.call().body(Map.of("name", name, "repository", "/srv/repos/app.git", "description", "the app"))
                .post("/environments").then().statusCode(201)
                .body("name", equalTo(name))
                .body("repository", equalTo("/srv/repos/app.git"))
                .body("createdBy", equalTo(agent.id()))
                .body("createdAt", notNullValue());
        asAdmin().get("/environments/" + name).then().statusCode(200).body("description", equalTo("the app"));
        asAdmin().get("/environments").then().statusCode(200).body("name", hasItem(name));
    }

    @Test
    void createTakenNameAnswers409() {
        String name = Api.environment();
        asAdmin().body(Map.of("name", name)).post("/environments").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("environment '" + name + "' already exists"));
    }

    @Test
    void unknownEnvironmentAnswers404() {
        asAdmin().get("/environments/does-not-exist-" + Api.fresh("x")).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"));
    }

    @Test
    void invalidNameAnswers400WithViolation() {
        asAdmin().body(Map.of("name", "Bad Name!")).post("/environments").then().statusCode(400)
                .body("violations[0].field", equalTo("name"));
    }
}
