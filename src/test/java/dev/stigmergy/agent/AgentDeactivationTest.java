package dev.stigmergy.agent;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Deactivating an agent (admin): its token stops working and its holds end through their normal release paths. */
@QuarkusTest
class AgentDeactivationTest {

    private static List<Map<String, Object>> events(String environment, String type) {
        return Api.asAdmin().queryParam("environment", environment).queryParam("type", type).queryParam("limit", 1000)
                .get("/events").then().statusCode(200).extract().path("events");
    }

    @Test
    void deactivationRevokesTheTokenAndReleasesLocksIntentsAndClaimsWithTheirEvents() {
        String env = Api.environment();
        String lockedJob = Api.job(env), intentJob = Api.job(env), claimedJob = Api.job(env);
        Api.Agent doomed = Api.agent("worker"), requester = Api.agent(), depositor = Api.agent();

        doomed.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + lockedJob + "/lock").then().statusCode(201);
        int unlockRequest = requester.call().body(Map.of("reason", "I need it")).post("/entities/job/" + lockedJob
                + "/lock/unlock-requests").then().statusCode(201).extract().path("id");
        long intent = doomed.call().body(Map.of("entity", "job/" + intentJob, "description", "work", "leaseSeconds", 600,
                        "files", List.of(Map.of("path", "src/only-mine.py", "level", 4))))
                .post("/environments/" + env + "/intents").then().statusCode(201).extract().jsonPath().getLong("intent.id");
        String type = "t_" + Api.fresh("claimable").replace('-', '_');
        Api.asAdmin().body(Map.of("name", type, "decay", Map.of("kind", "EXPIRY", "ttlSeconds", 3600)))
                .post("/signal-types").then().statusCode(201);
        long pheromone = ((Number) depositor.call().body(Map.of("type", type)).post("/entities/job/" + claimedJob + "/pheromones")
                .then().statusCode(201).extract().path("id")).longValue();
        doomed.call().body(Map.of("leaseSeconds", 600)).post("/pheromones/" + pheromone + "/claim").then().statusCode(200);

        // only an admin deactivates
        requester.call().post("/agents/" + doomed.id() + "/deactivate").then().statusCode(403);
        doomed.call().get("/agents/me").then().statusCode(200);

        Api.asAdmin().post("/agents/" + doomed.id() + "/deactivate").then().statusCode(200).body("id", equalTo(doomed.id()));
        doomed.call().get("/agents/me").then().statusCode(401);

        // each hold ended through its owner's release path, with its events and effects
        Api.asAdmin().get("/entities/job/" + lockedJob + "/lock").then().statusCode(404);
        assertEquals(1, events(env, "lock.released").size());
        Api.asAdmin().get("/unlock-requests/" + unlockRequest).then().body("status", equalTo("OBSOLETE"));
        Api.asAdmin().get("/intents/" + intent).then().body("status", equalTo("CANCELLED"));
        assertEquals(1, events(env, "intent.released").size());
        Api.asAdmin().get("/entities/job/" + intentJob + "/pheromones").then().statusCode(200)
                .body("pheromones.findAll { it.type == 'files_blocked' }", hasSize(0));
        Api.asAdmin().get("/pheromones/" + pheromone).then().statusCode(200).body("claim", equalTo(null));
        assertEquals(1, events(env, "pheromone.released").size());
        // another agent can take the files now
        requester.call().body(Map.of("entity", "job/" + intentJob, "description", "mine now", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/only-mine.py", "level", 4))))
                .post("/environments/" + env + "/intents").then().statusCode(201);

        Api.asAdmin().queryParam("type", "agent.deactivated").queryParam("limit", 1000).get("/events").then()
                .body("events.findAll { it.data.id == '" + doomed.id() + "' }", hasSize(1))
                .body("events.find { it.data.id == '" + doomed.id() + "' }.data.released.kind",
                        containsInAnyOrder("lock", "intent", "claim"));
    }

    @Test
    void aDeactivatedAgentStaysSoAndUnknownAgentsAre404() {
        Api.Agent agent = Api.agent();
        Api.asAdmin().post("/agents/" + agent.id() + "/deactivate").then().statusCode(200);
        // again: nothing changes, no second event
        Api.asAdmin().post("/agents/" + agent.id() + "/deactivate").then().statusCode(200);
        Api.asAdmin().queryParam("type", "agent.deactivated").queryParam("limit", 1000).get("/events").then()
                .body("events.findAll { it.data.id == '" + agent.id() + "' }", hasSize(1));
        // no rotation brings its token back
        Api.asAdmin().body(Map.of()).post("/agents/" + agent.id() + "/token/rotate").then().statusCode(409);
        agent.call().get("/agents/me").then().statusCode(401);
        Api.asAdmin().post("/agents/" + Api.fresh("nobody") + "/deactivate").then().statusCode(404);
        Api.asAdmin().post("/agents/admin/deactivate").then().statusCode(403);
    }
}
