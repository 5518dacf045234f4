package dev.stigmergy.agent;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** Revoking and rotating an agent's token (admin), with the injected clock for the grace period. */
@QuarkusTest
class AgentTokenLifecycleTest {

    @Inject
    MutableClock clock;

    @Test
    void aRevokedTokenAnswers401AtOnce() {
        Api.Agent agent = Api.agent();
        agent.call().get("/agents/me").then().statusCode(200);
        Api.asAdmin().post("/agents/" + agent.id() + "/token/revoke").then().statusCode(200).body("id", equalTo(agent.id()));
        agent.call().get("/agents/me").then().statusCode(401);
        Api.asAdmin().queryParam("type", "agent.token-revoked").queryParam("limit", 1000).get("/events").then()
                .body("events.findAll { it.data.id == '" + agent.id() + "' }", hasSize(1));
    }

    @Test
    void afterARotationBothTokensWorkDuringTheGracePeriodThenOnlyTheNewOne() {
        Api.Agent agent = Api.agent();
        String fresh = Api.asAdmin().body(Map.of("graceSeconds", 60)).post("/agents/" + agent.id() + "/token/rotate")
                .then().statusCode(200).body("agent.id", equalTo(agent.id())).extract().path("token");
        agent.call().get("/agents/me").then().statusCode(200).body("agent.id", equalTo(agent.id()));
        Api.as(fresh).get("/agents/me").then().statusCode(200).body("agent.id", equalTo(agent.id()));

        clock.advance(Duration.ofSeconds(61));
        agent.call().get("/agents/me").then().statusCode(401);
        Api.as(fresh).get("/agents/me").then().statusCode(200);

        // a revoke ends the current token too
        Api.asAdmin().post("/agents/" + agent.id() + "/token/revoke").then().statusCode(200);
        Api.as(fresh).get("/agents/me").then().statusCode(401);
    }

    @Test
    void onlyAnAdminRevokesOrRotatesAndUnknownAgentsAre404() {
        Api.Agent agent = Api.agent();
        agent.call().post("/agents/" + agent.id() + "/token/revoke").then().statusCode(403);
        agent.call().body(Map.of()).post("/agents/" + agent.id() + "/token/rotate").then().statusCode(403);
        agent.call().get("/agents/me").then().statusCode(200);
        Api.asAdmin().post("/agents/" + Api.fresh("nobody") + "/token/revoke").then().statusCode(404);
        Api.asAdmin().body(Map.of("graceSeconds", -1)).post("/agents/" + agent.id() + "/token/rotate").then().statusCode(400);
    }

    @Test
    void aTokenWithAnExpiryAnswers401OnceItPassed() {
        String id = Api.fresh("agent");
        String token = Api.asAdmin().body(Map.of("id", id, "displayName", "expiring", "roles", java.util.List.of("agent"),
                "tokenExpiresInSeconds", 120)).post("/agents").then().statusCode(201).extract().path("token");
        Api.as(token).get("/agents/me").then().statusCode(200);
        clock.advance(Duration.ofSeconds(121));
        Api.as(token).get("/agents/me").then().statusCode(401);

        // a rotation gives a new token, here without expiry; the expired one stays dead through the grace period
        String fresh = Api.asAdmin().body(Map.of("graceSeconds", 600)).post("/agents/" + id + "/token/rotate")
                .then().statusCode(200).extract().path("token");
        Api.as(fresh).get("/agents/me").then().statusCode(200);
        Api.as(token).get("/agents/me").then().statusCode(401);
        Api.asAdmin().body(Map.of("id", Api.fresh("agent"), "displayName", "x", "tokenExpiresInSeconds", 0))
                .post("/agents").then().statusCode(400);
    }
}
