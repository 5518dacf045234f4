package dev.stigmergy.lease;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class HeartbeatTest {

    @Test
    void heartbeatWithoutHoldsRenewsNothingAndIsRecorded() {
        Api.Agent agent = Api.agent();
        agent.call().post("/agents/me/heartbeat").then().statusCode(200)
                .body("agent", equalTo(agent.id()))
                .body("at", notNullValue())
                .body("renewed", hasSize(0));
        Api.asAdmin().queryParam("agent", agent.id()).queryParam("type", "agent.heartbeat").get("/events")
                .then().body("events", hasSize(1));
    }

    @Test
    void reviewerCannotHeartbeat() {
        Api.agent("reviewer").call().post("/agents/me/heartbeat").then().statusCode(403);
    }
}
