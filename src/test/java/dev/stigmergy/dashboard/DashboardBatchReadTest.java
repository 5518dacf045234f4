package dev.stigmergy.dashboard;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The Agents and Board pages read each kind of hold or signal once for the whole page (issue 29), not once per row:
 * every row must still show its own state and nothing of its neighbours'.
 */
@QuarkusTest
class DashboardBatchReadTest {

    private static Api.Agent agent(String id) {
        String token = Api.asAdmin().body(Map.of("id", id, "displayName", id, "roles", List.of("agent")))
                .post("/agents").then().statusCode(201).extract().path("token");
        return new Api.Agent(id, token);
    }

    /** Locks {@code job}, declares an intent on it, deposits importance, and has {@code requester} ask for the lock. */
    private static void holdAndMark(Api.Agent holder, String job, String file, int importance, Api.Agent requester,
                                    String env) {
        holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + job + "/lock").then().statusCode(201);
        holder.call().body(Map.of("entity", "job/" + job, "description", "on " + job, "leaseSeconds", 600,
                "files", List.of(Map.of("path", file, "level", 2)))).post("/environments/" + env + "/intents")
                .then().statusCode(201);
        holder.call().body(Map.of("type", "importance", "intensity", importance))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201);
        requester.call().body(Map.of("reason", "need " + job)).post("/entities/job/" + job + "/lock/unlock-requests")
                .then().statusCode(201);
    }

    @Test
    void eachAgentRowAndBoardCardShowsItsOwnHoldsAndSignalsOnly() {
        String env = Api.environment();
        String prefix = Api.fresh("batch");
        Api.Agent first = agent(prefix + "-1"), second = agent(prefix + "-2"), idle = agent(prefix + "-3");
        Api.Agent asker = Api.agent();
        String a = Api.job(env), b = Api.job(env), untouched = Api.job(env);
        holdAndMark(first, a, "src/a.txt", 3, asker, env);
        holdAndMark(second, b, "src/b.txt", 7, asker, env);
        Api.Agent reviewer = Api.agent("reviewer");

        JsonPath agents = reviewer.call().queryParam("environment", env).queryParam("q", prefix)
                .get("/dashboard/api/agents").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(first.id(), second.id(), idle.id()), agents.getList("agents.id"));
        for (var row : List.of(List.of(0, "job/" + a), List.of(1, "job/" + b))) {
            String at = "agents[" + row.get(0) + "]";
            assertEquals(List.of(row.get(1)), agents.getList(at + ".locks.entity"), at);
            assertEquals(List.of(row.get(1)), agents.getList(at + ".intents.entity"), at);
        }
        assertEquals(List.of(), agents.getList("agents[2].locks"));
        assertEquals(List.of(), agents.getList("agents[2].intents"));

        JsonPath board = reviewer.call().get("/dashboard/api/environments/" + env + "/board").then().statusCode(200)
                .extract().jsonPath();
        for (var card : List.of(List.of(a, first, "src/a.txt", 3.0), List.of(b, second, "src/b.txt", 7.0))) {
            String at = "cards.find { it.entity.key == '" + card.get(0) + "' }";
            String holder = ((Api.Agent) card.get(1)).id();
            assertEquals(holder, board.getString(at + ".lock.holder"), at);
            assertEquals(List.of(asker.id()), board.getList(at + ".lock.unlockRequests.requester"), at);
            assertEquals(List.of(holder), board.getList(at + ".intents.agent"), at);
            assertEquals(List.of(card.get(2)), board.getList(at + ".intents[0].files.path"), at);
            assertEquals(List.of("need " + card.get(0)), board.getList(at + ".unlockRequests.reason"), at);
            assertEquals(List.of(holder), board.getList(at + ".pheromones.depositor"), at);
            assertEquals((double) card.get(3), board.getDouble(at + ".pheromones[0].intensity"), 1e-9, at);
        }
        String none = "cards.find { it.entity.key == '" + untouched + "' }";
        assertNull(board.get(none + ".lock"));
        assertEquals(List.of(), board.getList(none + ".intents"));
        assertEquals(List.of(), board.getList(none + ".unlockRequests"));
        assertEquals(List.of(), board.getList(none + ".pheromones"));
    }
}
