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
        Api.Agent agent = Api.agent("maintainer");
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
    void onlyAnAdminOrAMaintainerCreatesAnEnvironment() {
        String name = Api.fresh("env");
        Api.agent().call().body(Map.of("name", name)).post("/environments").then().statusCode(403)
                .body("detail", equalTo("creating an environment needs the admin or maintainer role; this call acts as 'agent'"));
        asAdmin().get("/environments/" + name).then().statusCode(404);
        // the role the call acts as counts, not the roles declared
        Api.Agent both = Api.agent("agent", "maintainer");
        both.call().body(Map.of("name", name)).post("/environments").then().statusCode(403);
        both.call().header("X-Stigmergy-Role", "maintainer").body(Map.of("name", name)).post("/environments")
                .then().statusCode(201).body("createdBy", equalTo(both.id()));
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
