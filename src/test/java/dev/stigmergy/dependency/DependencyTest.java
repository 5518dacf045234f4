package dev.stigmergy.dependency;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** {@code depends-on} links: add, list both ways, remove, cycles refused with the cycle named, readiness events. */
@QuarkusTest
class DependencyTest {

    /** Registers a fresh {@code completion.*} type (EXPIRY, a day) and answers its name. */
    static String completionType() {
        String name = "completion." + Api.fresh("done").replace('-', '_').toLowerCase();
        return Api.asAdmin().body(Map.of("name", name, "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 86400)))
                .post("/signal-types").then().statusCode(201).extract().path("name");
    }

    static void link(Api.Agent agent, String from, String to, int status) {
        agent.call().body(Map.of("dependsOn", "job/" + to)).post("/entities/job/" + from + "/dependencies")
                .then().statusCode(status);
    }

    @Test
    void addedLinkIsListedFromBothEndsAndRepeatingItAnswers200() {
        Api.Agent agent = Api.agent();
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        agent.call().body(Map.of("dependsOn", "job/" + b)).post("/entities/job/" + a + "/dependencies")
                .then().statusCode(201)
                .body("entity", equalTo("job/" + a)).body("dependsOn", equalTo("job/" + b))
                .body("environment", equalTo(env)).body("createdBy", equalTo(agent.id()));
        link(agent, a, b, 200);

        agent.call().get("/entities/job/" + a + "/dependencies").then().statusCode(200)
                .body("dependsOn.entity", contains("job/" + b)).body("dependsOn[0].done", is(false))
                .body("dependants", empty()).body("dependenciesDone", is(false)).body("done", is(false));
        agent.call().get("/entities/job/" + b + "/dependencies").then().statusCode(200)
                .body("dependants.entity", contains("job/" + a)).body("dependsOn", empty())
                .body("dependenciesDone", is(true));
        Api.asAdmin().queryParam("environment", env).queryParam("type", "dependency.added").get("/events")
                .then().statusCode(200).body("events", hasSize(1)).body("events[0].entity", equalTo("job/" + a))
                .body("events[0].data.dependsOn", equalTo("job/" + b));
    }

    @Test
    void linkClosingACycleAnswers409NamingTheCycleAndChangesNothing() {
        Api.Agent agent = Api.agent();
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        String c = Api.job(env);
        link(agent, a, b, 201);
        link(agent, b, c, 201);
        agent.call().body(Map.of("dependsOn", "job/" + a)).post("/entities/job/" + c + "/dependencies")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/dependency-cycle"))
                .body("cycle", contains("job/" + c, "job/" + a, "job/" + b, "job/" + c));
        agent.call().get("/entities/job/" + c + "/dependencies").then().body("dependsOn", empty());
    }

    @Test
    void selfLinksCrossEnvironmentLinksAndUnknownEntitiesAreRefused() {
        Api.Agent agent = Api.agent();
        String env = Api.environment();
        String a = Api.job(env);
        String other = Api.job(Api.environment());
        link(agent, a, a, 400);
        link(agent, a, other, 400);
        link(agent, a, "NOPE-" + a, 404);
        agent.call().body(Map.of("dependsOn", "not an address")).post("/entities/job/" + a + "/dependencies")
                .then().statusCode(400);
        agent.call().get("/entities/job/" + a + "/dependencies").then().body("dependsOn", empty());
    }

    @Test
    void removingALinkAnswers204ThenTheLinkIsGoneAndASecondRemovalIs404() {
        Api.Agent agent = Api.agent();
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        link(agent, a, b, 201);
        agent.call().delete("/entities/job/" + a + "/dependencies/job/" + b).then().statusCode(204);
        agent.call().get("/entities/job/" + b + "/dependencies").then().body("dependants", empty());
        agent.call().delete("/entities/job/" + a + "/dependencies/job/" + b).then().statusCode(404);
        Api.asAdmin().queryParam("environment", env).queryParam("type", "dependency.removed").get("/events")
                .then().body("events", hasSize(1));
        // removing its only unfinished dependency made a ready
        Api.asAdmin().queryParam("environment", env).queryParam("type", "entity.ready").get("/events")
                .then().body("events.entity", contains("job/" + a));
    }

    @Test
    void readerRoleMayListButNotLink() {
        Api.Agent reviewer = Api.agent("reviewer");
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        link(reviewer, a, b, 403);
        reviewer.call().get("/entities/job/" + a + "/dependencies").then().statusCode(200);
    }

    @Test
    void finishingTheLastDependencyMakesTheDependantReadyAndSaysSo() {
        Api.Agent agent = Api.agent();
        String done = completionType();
        String env = Api.environment();
        String a = Api.job(env);
        String b = Api.job(env);
        String c = Api.job(env);
        link(agent, a, b, 201);
        link(agent, a, c, 201);

        agent.call().body(Map.of("type", done)).post("/entities/job/" + b + "/pheromones").then().statusCode(201);
        Api.asAdmin().queryParam("environment", env).queryParam("type", "entity.ready").get("/events")
                .then().body("events", empty());
        agent.call().get("/entities/job/" + a + "/dependencies").then()
                .body("dependsOn.find { it.entity == 'job/" + b + "' }.done", is(true))
                .body("dependenciesDone", is(false));

        agent.call().body(Map.of("type", done)).post("/entities/job/" + c + "/pheromones").then().statusCode(201);
        Api.asAdmin().queryParam("environment", env).queryParam("type", "entity.ready").get("/events")
                .then().body("events", hasSize(1)).body("events[0].entity", equalTo("job/" + a))
                .body("events[0].data.finished", equalTo("job/" + c));
        agent.call().get("/entities/job/" + a + "/dependencies").then().body("dependenciesDone", is(true));

        // a second completion signal on c finishes nothing new
        Api.agent().call().body(Map.of("type", done)).post("/entities/job/" + c + "/pheromones").then().statusCode(201);
        Api.asAdmin().queryParam("environment", env).queryParam("type", "entity.ready").get("/events")
                .then().body("events", hasSize(1));
    }
}
