package dev.stigmergy.mcp;

import dev.stigmergy.git.TestRepo;
import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each MCP tool maps to the service its REST resource calls: the same state changes, visible through REST,
 * refusals as {@code isError} results carrying the problem, bad arguments as invalid params changing nothing.
 */
@QuarkusTest
class McpToolsTest {

    @Inject
    MutableClock clock;

    private static Map<String, Object> result(JsonPath answer) {
        assertEquals(Boolean.FALSE, answer.get("result.isError"), answer.prettify());
        return answer.getMap("result.structuredContent");
    }

    private static Map<String, Object> refusal(JsonPath answer) {
        assertEquals(Boolean.TRUE, answer.get("result.isError"), answer.prettify());
        return answer.getMap("result.structuredContent");
    }

    private static void assertInvalidParams(JsonPath answer, String field) {
        assertEquals(-32602, answer.getInt("error.code"), answer.prettify());
        assertTrue(answer.getString("error.message").contains(field), answer.getString("error.message"));
    }

    @Test
    void listsEveryToolInSnakeCaseWithSchemas() {
        List<Map<String, Object>> tools = McpClient.open(Api.agent().token()).tools();
        Set<String> names = tools.stream().map(t -> (String) t.get("name")).collect(Collectors.toSet());
        assertEquals(Set.of("sense_entity", "rank_entities", "deposit_pheromone", "claim_pheromone", "release_claim",
                "give_verdict", "acquire_lock", "renew_lock", "release_lock", "request_unlock", "answer_unlock_request",
                "declare_intent", "check_files", "complete_intent", "cancel_intent", "edit_overlaps", "heartbeat",
                "my_holds", "ready_work"), names);
        for (Map<String, Object> tool : tools) {
            assertFalse(((String) tool.get("description")).isBlank(), tool.get("name") + " has a description");
            assertEquals("object", ((Map<?, ?>) tool.get("inputSchema")).get("type"));
            assertEquals("object", ((Map<?, ?>) tool.get("outputSchema")).get("type"), tool.get("name") + " has an outputSchema");
        }
    }

    @Test
    void acquireLockGrantsThenAnswersAnotherAgentWithTheHolderAsToolError() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);

        Map<String, Object> granted = result(McpClient.open(a.token())
                .call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30, "reason", "refactor")));
        assertEquals(true, granted.get("granted"));
        Map<?, ?> lock = (Map<?, ?>) granted.get("lock");
        assertEquals(a.id(), lock.get("holder"));
        assertEquals(now.plusSeconds(30).toString(), lock.get("expiresAt"));
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(200)
                .body("holder", equalTo(a.id())).body("fencingToken", equalTo(lock.get("fencingToken")));

        Map<String, Object> problem = refusal(McpClient.open(b.token())
                .call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30)));
        assertEquals("/problems/lock-held", problem.get("type"));
        assertEquals(409, problem.get("status"));
        Map<?, ?> hold = (Map<?, ?>) problem.get("hold");
        assertEquals(a.id(), hold.get("holder"));
        assertEquals(lock.get("fencingToken"), hold.get("fencingToken"));
        assertEquals(lock.get("expiresAt"), hold.get("expiresAt"));
        assertTrue(((String) problem.get("next")).contains("request_unlock"));
    }

    @Test
    void renewAndReleaseLockActAsTheHolder() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent a = Api.agent();
        McpClient client = McpClient.open(a.token());
        result(client.call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30)));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);

        Map<String, Object> renewed = result(client.call("renew_lock", Map.of("entity", "job/" + key, "leaseSeconds", 120)));
        assertEquals(now.plusSeconds(120).toString(), renewed.get("expiresAt"));

        Map<String, Object> notHolder = refusal(McpClient.open(Api.agent().token())
                .call("release_lock", Map.of("entity", "job/" + key)));
        assertEquals(403, notHolder.get("status"));

        Map<String, Object> released = result(client.call("release_lock", Map.of("entity", "job/" + key)));
        assertEquals(a.id(), released.get("holder"));
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(404);
    }

    @Test
    void badArgumentsAreInvalidParamsAndChangeNothing() {
        String env = Api.environment();
        String key = Api.job(env);
        McpClient client = McpClient.open(Api.agent().token());

        assertInvalidParams(client.call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 0)), "leaseSeconds");
        assertInvalidParams(client.call("acquire_lock", Map.of("entity", "job/" + key)), "leaseSeconds");
        assertInvalidParams(client.call("acquire_lock", Map.of("entity", "not an address", "leaseSeconds", 30)), "entity");
        assertInvalidParams(client.call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", "soon")), "leaseSeconds");
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(404);

        assertInvalidParams(client.call("declare_intent", Map.of("environment", env, "entity", "job/" + key,
                "description", "x", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/A.java", "level", 7)))), "files[0].level");
        // a rule the service checks (canonical paths) is invalid params too
        assertInvalidParams(client.call("declare_intent", Map.of("environment", env, "entity", "job/" + key,
                "description", "x", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "../etc/passwd", "level", 4)))), "..");
        Api.asAdmin().queryParam("entity", "job/" + key).get("/environments/" + env + "/intents")
                .then().statusCode(200).body("size()", equalTo(0));
        assertInvalidParams(client.call("answer_unlock_request", Map.of("requestId", 1, "decision", "maybe")), "decision");
    }

    @Test
    void depositSenseRankClaimReleaseAndVerdict() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent worker = Api.agent("agent", "validator");
        McpClient client = McpClient.open(worker.token());

        Map<String, Object> deposited = result(client.call("deposit_pheromone", Map.of("entity", "job/" + key,
                "type", "importance", "intensity", 3.0, "payload", Map.of("why", "release blocker"))));
        assertEquals(true, deposited.get("created"));
        Map<?, ?> pheromone = (Map<?, ?>) deposited.get("pheromone");
        long id = ((Number) pheromone.get("id")).longValue();
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(200).body("depositor", equalTo(worker.id()));

        Map<String, Object> sensed = result(client.call("sense_entity", Map.of("entity", "job/" + key)));
        assertEquals("job/" + key, sensed.get("entity"));
        assertTrue(((List<?>) sensed.get("pheromones")).stream().anyMatch(p -> ((Map<?, ?>) p).get("type").equals("importance")));

        Map<String, Object> ranked = result(client.call("rank_entities", Map.of("type", "importance", "environment", env)));
        assertEquals("job/" + key, ((Map<?, ?>) ((List<?>) ranked.get("aggregates")).get(0)).get("entity"));
        assertInvalidParams(client.call("rank_entities", Map.of("type", "importance", "limit", 0)), "limit");
        Map<?, ?> unnamed = (Map<?, ?>) ((List<?>) result(client.call("rank_entities", Map.of("type", "importance",
                "environment", env, "depositorLimit", 0))).get("aggregates")).get(0);
        assertEquals(1, ((Number) unnamed.get("count")).intValue());
        assertEquals(List.of(), unnamed.get("depositors") == null ? List.of() : unnamed.get("depositors"));
        assertInvalidParams(client.call("rank_entities", Map.of("type", "importance", "depositorLimit", 1001)),
                "depositorLimit");

        Map<String, Object> claim = result(client.call("claim_pheromone", Map.of("pheromoneId", id, "leaseSeconds", 60)));
        assertEquals(worker.id(), claim.get("holder"));
        Map<String, Object> held = refusal(McpClient.open(Api.agent().token())
                .call("claim_pheromone", Map.of("pheromoneId", id, "leaseSeconds", 60)));
        assertEquals("/problems/claim-held", held.get("type"));
        assertEquals(worker.id(), ((Map<?, ?>) held.get("hold")).get("holder"));
        assertEquals(Map.of("pheromone", (int) id, "released", true),
                result(client.call("release_claim", Map.of("pheromoneId", id))));
        assertEquals(404, refusal(client.call("release_claim", Map.of("pheromoneId", id))).get("status"));

        // only roles that reinforce the type may give verdicts: a plain agent is refused, a validator recorded
        Map<String, Object> notAllowed = refusal(McpClient.open(Api.agent().token())
                .call("give_verdict", Map.of("pheromoneId", id, "approve", true)));
        assertEquals(403, notAllowed.get("status"));
        Api.Agent validator = Api.agent("validator");
        Map<String, Object> verdict = result(McpClient.open(validator.token())
                .call("give_verdict", Map.of("pheromoneId", id, "approve", true, "boost", 1.0, "trigger", "ci run 7")));
        assertEquals(validator.id(), verdict.get("validator"));
        assertEquals(true, verdict.get("approve"));
    }

    @Test
    void readyWorkAnswersWhatRestAnswersLeavingOutLockedAndWaitingEntities() {
        String env = Api.environment();
        String free = Api.job(env);
        String urgent = Api.job(env);
        String locked = Api.job(env);
        String waiting = Api.job(env);
        Api.Agent other = Api.agent();
        Api.Agent worker = Api.agent();
        McpClient client = McpClient.open(worker.token());
        result(McpClient.open(other.token()).call("acquire_lock", Map.of("entity", "job/" + locked, "leaseSeconds", 60)));
        result(client.call("deposit_pheromone", Map.of("entity", "job/" + urgent, "type", "importance", "intensity", 2.0)));
        Api.as(worker.token()).contentType("application/json").body(Map.of("dependsOn", "job/" + free))
                .post("/entities/job/" + waiting + "/dependencies").then().statusCode(201);

        Map<String, Object> page = result(client.call("ready_work", Map.of("environment", env, "kind", List.of("job"))));
        List<?> items = (List<?>) page.get("items");
        assertEquals(List.of("job/" + urgent, "job/" + free),
                items.stream().map(i -> ((Map<?, ?>) i).get("entity")).toList());
        assertEquals(2.0, ((Number) ((Map<?, ?>) items.get(0)).get("importance")).doubleValue(), 1e-9);
        assertFalse(((String) ((Map<?, ?>) items.get(0)).get("reason")).isBlank());
        // the same page REST answers the same caller
        JsonPath rest = Api.as(worker.token()).queryParam("kind", "job").get("/environments/" + env + "/ready")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(rest.getList("items.entity"), items.stream().map(i -> ((Map<?, ?>) i).get("entity")).toList());

        Map<String, Object> first = result(client.call("ready_work", Map.of("environment", env, "limit", 1)));
        assertEquals(1, ((List<?>) first.get("items")).size());
        Map<String, Object> second = result(client.call("ready_work",
                Map.of("environment", env, "limit", 1, "after", first.get("nextAfter"))));
        assertEquals("job/" + free, ((Map<?, ?>) ((List<?>) second.get("items")).get(0)).get("entity"));

        assertEquals(404, refusal(client.call("ready_work", Map.of("environment", "no-such-environment"))).get("status"));
        assertInvalidParams(client.call("ready_work", Map.of("environment", env, "limit", 0)), "limit");
        assertInvalidParams(client.call("ready_work", Map.of("environment", env, "kind", List.of("Not A Kind"))), "kind");
    }

    @Test
    void l4IntentBlocksFilesAndCheckFilesNamesTheHolderAndExpiry() {
        String env = Api.environment();
        String jobA = Api.job(env);
        String jobB = Api.job(env);
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        McpClient clientA = McpClient.open(a.token());
        McpClient clientB = McpClient.open(b.token());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);

        Map<String, Object> declared = result(clientA.call("declare_intent", Map.of("environment", env,
                "entity", "job/" + jobA, "description", "rewrite auth", "leaseSeconds", 600,
                "files", List.of(Map.of("path", "src/Auth.java", "level", 4)))));
        Map<?, ?> intent = (Map<?, ?>) declared.get("intent");
        long intentId = ((Number) intent.get("id")).longValue();
        assertEquals("granted", ((Map<?, ?>) ((List<?>) declared.get("files")).get(0)).get("outcome"));

        Map<String, Object> check = result(clientB.call("check_files", Map.of("environment", env,
                "entity", "job/" + jobB, "files", List.of(Map.of("path", "src/Auth.java", "level", 2)))));
        assertEquals(true, check.get("collides"));
        assertEquals(true, check.get("denied"));
        Map<?, ?> collision = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((List<?>) check.get("files")).get(0)).get("overlaps")).get(0);
        assertEquals(a.id(), collision.get("holder"));
        assertEquals((int) intentId, collision.get("intentId"));
        assertEquals(4, collision.get("level"));
        assertEquals(now.plusSeconds(600).toString(), collision.get("expiresAt"));
        // a check holds nothing
        Api.asAdmin().queryParam("agent", b.id()).get("/environments/" + env + "/intents")
                .then().statusCode(200).body("size()", equalTo(0));

        Map<String, Object> sensed = result(clientB.call("sense_entity", Map.of("entity", "job/" + jobA)));
        assertTrue(((List<?>) sensed.get("pheromones")).stream()
                .anyMatch(p -> ((Map<?, ?>) p).get("type").equals("files_blocked")), sensed.toString());

        Map<String, Object> denied = refusal(clientB.call("declare_intent", Map.of("environment", env,
                "entity", "job/" + jobB, "description", "touch auth", "leaseSeconds", 60,
                "files", List.of(Map.of("path", "src/Auth.java", "level", 2)))));
        assertEquals("/problems/intent-denied", denied.get("type"));
        Map<?, ?> decision = (Map<?, ?>) denied.get("decision");
        assertEquals("denied", ((Map<?, ?>) ((List<?>) decision.get("files")).get(0)).get("outcome"));

        Map<String, Object> completed = result(clientA.call("complete_intent", Map.of("intentId", intentId)));
        assertEquals("COMPLETED", completed.get("status"));
        Map<String, Object> free = result(clientB.call("check_files", Map.of("environment", env,
                "entity", "job/" + jobB, "files", List.of(Map.of("path", "src/Auth.java", "level", 2)))));
        assertEquals(false, free.get("collides"));

        Map<String, Object> other = result(clientB.call("declare_intent", Map.of("environment", env,
                "entity", "job/" + jobB, "description", "touch auth", "leaseSeconds", 60, "mode", "partial",
                "files", List.of(Map.of("path", "src/Auth.java", "level", 1, "lineRanges", List.of(Map.of("start", 1, "end", 9)))))));
        long otherId = ((Number) ((Map<?, ?>) other.get("intent")).get("id")).longValue();
        assertEquals(403, refusal(clientA.call("cancel_intent", Map.of("intentId", otherId))).get("status"));
        assertEquals("CANCELLED", result(clientB.call("cancel_intent", Map.of("intentId", otherId))).get("status"));
    }

    @Test
    void unlockRequestApprovedWithHandoverGivesTheRequesterTheLock() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        McpClient clientA = McpClient.open(a.token());
        McpClient clientB = McpClient.open(b.token());
        long tokenA = ((Number) ((Map<?, ?>) result(clientA.call("acquire_lock",
                Map.of("entity", "job/" + key, "leaseSeconds", 300))).get("lock")).get("fencingToken")).longValue();

        assertInvalidParams(clientB.call("request_unlock", Map.of("reason", "need it")), "entity");
        Map<String, Object> requested = result(clientB.call("request_unlock", Map.of("entity", "job/" + key,
                "reason", "hotfix needs this job", "handover", true)));
        assertEquals(true, requested.get("created"));
        Map<?, ?> request = (Map<?, ?>) requested.get("request");
        long requestId = ((Number) request.get("id")).longValue();
        assertEquals(a.id(), request.get("holder"));
        assertEquals("PENDING", request.get("status"));

        Map<String, Object> holdsA = result(clientA.call("my_holds", Map.of()));
        assertEquals((int) requestId, ((Map<?, ?>) ((List<?>) holdsA.get("toDecide")).get(0)).get("id"));
        assertEquals(1, ((List<?>) holdsA.get("locks")).size());

        assertEquals(403, refusal(clientB.call("answer_unlock_request",
                Map.of("requestId", requestId, "decision", "approve"))).get("status"));
        Map<String, Object> approved = result(clientA.call("answer_unlock_request",
                Map.of("requestId", requestId, "decision", "approve", "note", "go ahead")));
        assertEquals("APPROVED", approved.get("status"));
        long tokenB = ((Number) approved.get("grantedFencingToken")).longValue();
        assertTrue(tokenB > tokenA);
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(200).body("holder", equalTo(b.id()));

        Map<String, Object> holdsB = result(clientB.call("my_holds", Map.of()));
        assertEquals(b.id(), holdsB.get("agent"));
        assertEquals("job/" + key, ((Map<?, ?>) ((List<?>) holdsB.get("locks")).get(0)).get("entity"));
    }

    @Test
    void heartbeatRenewsEveryLeaseAndMyHoldsListsThem() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent a = Api.agent();
        McpClient client = McpClient.open(a.token());
        result(client.call("acquire_lock", Map.of("entity", "job/" + key, "leaseSeconds", 30)));
        result(client.call("declare_intent", Map.of("environment", env, "entity", "job/" + key,
                "description", "docs", "leaseSeconds", 60, "files", List.of(Map.of("path", "docs/", "level", 2)))));
        long pheromone = ((Number) ((Map<?, ?>) result(client.call("deposit_pheromone",
                Map.of("entity", "job/" + key, "type", "blocked"))).get("pheromone")).get("id")).longValue();
        result(client.call("claim_pheromone", Map.of("pheromoneId", pheromone, "leaseSeconds", 45)));

        Map<String, Object> holds = result(client.call("my_holds", Map.of()));
        assertEquals(1, ((List<?>) holds.get("locks")).size());
        assertEquals(1, ((List<?>) holds.get("intents")).size());
        assertEquals(1, ((List<?>) holds.get("claims")).size());

        clock.advance(java.time.Duration.ofSeconds(20));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> beat = result(client.call("heartbeat", Map.of()));
        List<?> renewed = (List<?>) beat.get("renewed");
        assertEquals(Set.of("lock", "intent", "claim"),
                renewed.stream().map(r -> ((Map<?, ?>) r).get("kind")).collect(Collectors.toSet()));
        Api.asAdmin().get("/entities/job/" + key + "/lock").then().statusCode(200)
                .body("expiresAt", equalTo(now.plusSeconds(30).toString()));
    }

    @Test
    void editOverlapsComparesRefsOfTheEnvironmentsRepository() throws Exception {
        try (TestRepo repo = TestRepo.create()) {
            repo.write("src/A.java", TestRepo.lines(20)).commit("base");
            repo.branch("one").checkout("one").write("src/A.java", TestRepo.replaceLine(TestRepo.lines(20), 5, "one"))
                    .commit("one");
            repo.checkout("main").branch("two").checkout("two")
                    .write("src/A.java", TestRepo.replaceLine(TestRepo.lines(20), 5, "two")).commit("two");
            String env = Api.fresh("env");
            Api.asAdmin().body(Map.of("name", env, "repository", repo.dir.toString())).post("/environments")
                    .then().statusCode(201);
            McpClient client = McpClient.open(Api.agent().token());

            Map<String, Object> overlaps = result(client.call("edit_overlaps", Map.of("environment", env,
                    "refs", List.of("one", "two"))));
            assertEquals(env, overlaps.get("environment"));
            assertEquals(1, ((List<?>) overlaps.get("pairs")).size());
            assertNotEquals(null, ((List<?>) overlaps.get("pairs")).get(0));
            assertInvalidParams(client.call("edit_overlaps", Map.of("environment", env, "refs", List.of("one"))), "refs");
        }
    }
}
