package dev.stigmergy.intent;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The whole files_blocked lifecycle of DESIGN.md §4, and unlock requests against an intent's files. */
@QuarkusTest
class FilesBlockedTest {

    @Inject
    MutableClock clock;

    @Inject
    IntentService intents;

    private static Map<String, Object> l4(String job, String... paths) {
        return Map.of("entity", "job/" + job, "description", "work", "leaseSeconds", 60,
                "files", java.util.Arrays.stream(paths).map(p -> Map.of("path", p, "level", 4)).toList());
    }

    private static List<Map<String, Object>> filesBlocked(String job) {
        return Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200).extract().jsonPath()
                .getList("pheromones.findAll { it.type == 'files_blocked' }");
    }

    @Test
    void l4IntentKeepsFilesBlockedOnItsEntityAndOnDeniedOnesUntilItEnds() {
        String env = Api.environment();
        String holderJob = Api.job(env), deniedJob = Api.job(env), freeJob = Api.job(env);
        Api.Agent holder = Api.agent(), other = Api.agent();
        long id = holder.call().body(l4(holderJob, "src/a.py", "src/b.py")).post("/environments/" + env + "/intents")
                .then().statusCode(201).extract().jsonPath().getLong("intent.id");

        List<Map<String, Object>> onHolder = filesBlocked(holderJob);
        assertEquals(1, onHolder.size());
        Map<?, ?> payload = (Map<?, ?>) onHolder.get(0).get("payload");
        assertEquals(List.of("src/a.py", "src/b.py"), payload.get("files"));
        assertEquals(holder.id(), payload.get("holder"));
        assertEquals((int) id, payload.get("intentId"));

        other.call().body(l4(deniedJob, "src/a.py")).post("/environments/" + env + "/intents").then().statusCode(409);
        assertEquals(1, filesBlocked(deniedJob).size(), "the denied entity is told what blocks it");
        assertEquals(0, filesBlocked(freeJob).size());

        // agents can neither deposit nor remove it
        other.call().body(Map.of("type", "files_blocked")).post("/entities/job/" + freeJob + "/pheromones")
                .then().statusCode(403);

        holder.call().post("/intents/" + id + "/complete").then().statusCode(200);
        assertEquals(0, filesBlocked(holderJob).size());
        assertEquals(0, filesBlocked(deniedJob).size());
        Api.asAdmin().queryParam("environment", env).queryParam("type", "pheromone.retracted").get("/events")
                .then().body("events", hasSize(2));
    }

    @Test
    void expiryRetractsFilesBlocked() {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent holder = Api.agent();
        holder.call().body(l4(job, "lib/x.py")).post("/environments/" + env + "/intents").then().statusCode(201);
        assertEquals(1, filesBlocked(job).size());
        clock.advance(Duration.ofSeconds(61));
        intents.sweepExpired(1000);
        assertEquals(0, filesBlocked(job).size());
        intents.sweepExpired(1000); // idempotent: nothing left to retract
        assertEquals(0, filesBlocked(job).size());
    }

    @Test
    void approvedUnlockRequestWithHandoverGivesTheFilesToTheRequester() {
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent holder = Api.agent(), requester = Api.agent(), third = Api.agent();
        JsonPath declared = holder.call().body(l4(job, "core/engine.py")).post("/environments/" + env + "/intents")
                .then().statusCode(201).extract().jsonPath();
        long id = declared.getLong("intent.id");
        long token = declared.getLong("intent.fencingToken");
        long request = requester.call().body(Map.of("reason", "I must fix the engine", "handover", true))
                .post("/intents/" + id + "/unlock-requests").then().statusCode(201).extract().jsonPath().getLong("id");
        long obsolete = third.call().body(Map.of("reason", "me too"))
                .post("/intents/" + id + "/unlock-requests").then().statusCode(201).extract().jsonPath().getLong("id");

        holder.call().body(Map.of("note", "go ahead")).post("/unlock-requests/" + request + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED"));
        Api.asAdmin().get("/unlock-requests/" + obsolete).then().body("status", equalTo("OBSOLETE"));
        Api.asAdmin().get("/intents/" + id).then().body("status", equalTo("CANCELLED"));
        List<Map<String, Object>> active = Api.asAdmin().queryParam("status", "ACTIVE")
                .get("/environments/" + env + "/intents").then().extract().jsonPath().getList("");
        assertEquals(1, active.size());
        assertEquals(requester.id(), active.get(0).get("agent"));
        assertEquals(true, ((Number) active.get(0).get("fencingToken")).longValue() > token);
        Map<?, ?> payload = (Map<?, ?>) filesBlocked(job).get(0).get("payload");
        assertEquals(requester.id(), payload.get("holder"));
    }
}
