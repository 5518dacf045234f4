package dev.stigmergy.event;

import dev.stigmergy.testing.ServiceProcess;
import dev.stigmergy.support.Await;
import dev.stigmergy.support.TestDatabase;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Replicas keep rarely changing rows (tokens, signal types, role slices) in memory; a change through one replica
 * reaches the others' caches through a PostgreSQL notification ({@link Invalidations}). Both replicas poll the
 * log only once a minute and the caches keep entries for a minute, so only the notification can explain what is
 * seen within seconds.
 */
class ReplicaCachesIT {

    private static final String ADMIN = "it-admin-token";

    @Test
    void aChangeThroughOneReplicaIsSeenByTheOthersCache() throws Exception {
        String url = TestDatabase.ensureDatabase(TestDatabase.NAME + "_caches");
        Path dir = Files.createTempDirectory(Path.of("target"), "it-caches-");
        CompletableFuture<ServiceProcess> startingA = CompletableFuture.supplyAsync(() -> EventStreamReplicasIT.start(url, dir.resolve("a")));
        ServiceProcess b = EventStreamReplicasIT.start(url, dir.resolve("b"));
        ServiceProcess a = startingA.join();
        try {
            String run = UUID.randomUUID().toString().substring(0, 8);
            String env = "env-" + run;
            call(a.url(), ADMIN).body(Map.of("name", env)).post("/environments").then().statusCode(201);
            String agent = call(a.url(), ADMIN).body(Map.of("id", "cache-" + run, "displayName", "c", "roles", new String[]{"agent"}))
                    .post("/agents").then().statusCode(201).extract().path("token");
            String type = "t_cache_" + run.replace('-', '_');
            call(a.url(), ADMIN).body(Map.of("name", type, "maxIntensity", 5,
                    "decay", Map.of("kind", "EXPONENTIAL", "halfLifeSeconds", 3600))).post("/signal-types").then().statusCode(201);

            // B reads (and keeps) the type: a deposit of 8 is capped at its maxIntensity 5
            assertEquals(5.0, deposit(b.url(), agent, env, "j1-" + run, type), 1e-9);

            // the type changes through A; B's next deposits follow it
            call(a.url(), ADMIN).body(Map.of("name", type, "maxIntensity", 20,
                    "decay", Map.of("kind", "EXPONENTIAL", "halfLifeSeconds", 3600))).put("/signal-types/" + type).then().statusCode(200);
            int[] n = {0};
            Await.until(() -> deposit(b.url(), agent, env, "j" + (++n[0] + 1) + "-" + run, type) > 7.9,
                    Duration.ofSeconds(5), Duration.ofMillis(50), "B deposits under the changed maxIntensity");

            // B knows (and keeps) the admin token; A restarts with another one, and B refuses the old token
            call(b.url(), ADMIN).get("/environments").then().statusCode(200);
            a.close();
            a = EventStreamReplicasIT.start(url, dir.resolve("a2"), "it-admin-token-replaced");
            Await.until(() -> call(b.url(), ADMIN).get("/environments").statusCode() == 401,
                    Duration.ofSeconds(5), Duration.ofMillis(50), "B refuses the replaced admin token");
            call(b.url(), "it-admin-token-replaced").get("/environments").then().statusCode(200);
        } finally {
            a.close();
            b.close();
        }
    }

    private static double deposit(String base, String token, String env, String job, String type) {
        call(base, ADMIN).body(Map.of("environment", env, "title", "t")).put("/entities/job/" + job).then().statusCode(201);
        return ((Number) call(base, token).body(Map.of("type", type, "intensity", 8))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(201).extract().path("intensity")).doubleValue();
    }

    private static RequestSpecification call(String base, String token) {
        return RestAssured.given().baseUri(base).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
