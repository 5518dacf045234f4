package dev.stigmergy.lease;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Agent liveness derived from heartbeats and holds, and its change events, with the injected clock. */
@QuarkusTest
class LivenessTest {

    @Inject
    MutableClock clock;

    @Inject
    LivenessService liveness;

    private static void state(Api.Agent agent, String state, int leases) {
        Api.asAdmin().get("/agents/" + agent.id()).then().statusCode(200)
                .body("liveness.state", equalTo(state)).body("liveness.liveLeases", is(leases));
    }

    private static io.restassured.response.ValidatableResponse events(Api.Agent agent) {
        return Api.asAdmin().queryParam("agent", agent.id()).queryParam("limit", 1000).get("/events").then().statusCode(200);
    }

    @Test
    void anAgentIsActiveAfterAHeartbeatIdleWhileOnlyItsLeasesLiveAndGoneAfter() {
        Api.Agent agent = Api.agent();
        state(agent, "gone", 0);
        Api.asAdmin().get("/agents/" + agent.id()).then().body("liveness.lastHeartbeatAt", nullValue());

        agent.call().post("/agents/me/heartbeat").then().statusCode(200);
        agent.call().post("/agents/me/heartbeat").then().statusCode(200); // already active: announced once
        state(agent, "active", 0);
        Api.asAdmin().get("/agents/" + agent.id()).then().body("liveness.lastHeartbeatAt", notNullValue());
        events(agent).body("events.findAll { it.type.startsWith('agent.') && it.type != 'agent.heartbeat' }.type",
                contains("agent.active"));

        String env = Api.environment();
        String job = Api.job(env);
        agent.call().body(Map.of("leaseSeconds", 300)).post("/entities/job/" + job + "/lock").then().statusCode(201);
        state(agent, "active", 1);

        clock.advance(Duration.ofSeconds(61)); // no heartbeat within 60 s, the lock still leased
        state(agent, "idle", 1);
        liveness.announce();
        events(agent).body("events.findAll { it.type == 'agent.idle' }", hasSize(1))
                .body("events.find { it.type == 'agent.idle' }.data.from", equalTo("active"));

        clock.advance(Duration.ofSeconds(240)); // the lock's lease lapsed
        state(agent, "gone", 0);
        liveness.announce();
        liveness.announce(); // nothing changed since: announced once
        events(agent).body("events.findAll { it.type == 'agent.gone' }", hasSize(1))
                .body("events.find { it.type == 'agent.gone' }.data.from", equalTo("idle"));

        agent.call().post("/agents/me/heartbeat").then().statusCode(200);
        state(agent, "active", 0);
        events(agent).body("events.findAll { it.type == 'agent.active' }", hasSize(2));
    }

    @Inject
    AgroalDataSource dataSource;

    /**
     * The sweep neither waits for nor overrides a transaction that holds an agent's liveness row (a heartbeat
     * announcing that agent itself): it announces the other agents and leaves that one to its holder. Before,
     * the sweep locked every agent's row while it derived them all, and heartbeats queued behind it.
     */
    @Test
    void theSweepSkipsAnAgentWhoseRowAHeartbeatHoldsAndAnnouncesTheRest() throws Exception {
        Api.Agent held = Api.agent();
        Api.Agent free = Api.agent();
        held.call().post("/agents/me/heartbeat").then().statusCode(200);
        free.call().post("/agents/me/heartbeat").then().statusCode(200);
        clock.advance(Duration.ofSeconds(61)); // both now gone, neither announced as such yet
        try (Connection heartbeat = dataSource.getConnection()) {
            heartbeat.setAutoCommit(false);
            try (PreparedStatement lock = heartbeat.prepareStatement(
                    "select state from agent_liveness where agent = ? for update")) {
                lock.setString(1, held.id());
                lock.executeQuery().close();
            }
            // a bound on waiting forever, not a speed goal: before, the sweep waited here until the row was free
            int announced = CompletableFuture.supplyAsync(liveness::announce).get(60, TimeUnit.SECONDS);
            assertTrue(announced >= 1, "announced " + announced);
            events(free).body("events.findAll { it.type == 'agent.gone' }", hasSize(1));
            events(held).body("events.findAll { it.type == 'agent.gone' }", empty());
            heartbeat.rollback();
        }
        liveness.announce();
        events(held).body("events.findAll { it.type == 'agent.gone' }", hasSize(1))
                .body("events.find { it.type == 'agent.gone' }.data.from", equalTo("active"));
        events(free).body("events.findAll { it.type == 'agent.gone' }", hasSize(1));
    }

    @Test
    void listingAgentsCarriesEachOnesLiveness() {
        Api.Agent agent = Api.agent();
        agent.call().post("/agents/me/heartbeat").then().statusCode(200);
        Api.asAdmin().queryParam("after", Api.justBefore(agent.id())).get("/agents").then().statusCode(200)
                .body("agents.find { it.id == '" + agent.id() + "' }.liveness.state", equalTo("active"));
        // registering answers the agent without liveness: nothing is derived yet
        Api.asAdmin().body(Map.of("id", Api.fresh("agent"), "displayName", "x", "roles", java.util.List.of("agent")))
                .post("/agents").then().statusCode(201).body("agent.liveness", nullValue());
        events(Api.agent()).body("events", empty());
    }
}
