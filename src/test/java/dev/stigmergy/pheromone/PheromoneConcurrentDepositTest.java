package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Repeats read the row without a lock and write it only if it is unchanged since, else deposit again under the row
 * lock (PheromoneService.depositAs): no write of the row is lost.
 */
@QuarkusTest
class PheromoneConcurrentDepositTest {

    @Test
    void aRepeatAfterAnotherWriteOfTheRowFoldsOntoThatWrite() {
        String type = Fixtures.register(Map.of("kind", "EXPIRY", "ttlSeconds", 3600),
                Map.of("maxIntensity", 1000.0, "depositCap", 1000.0));
        String job = Api.job(Api.environment());
        Api.Agent depositor = Api.agent();
        long id = Fixtures.deposit(depositor, job, type, 2.0);
        // another writer of the row between two deposits: a validator's boost
        Api.agent("validator").call().body(Map.of("approve", true, "boost", 3.0))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201);
        depositor.call().body(Map.of("type", type, "intensity", 1.0)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(200).body("intensity", Fixtures.near(6.0));
        assertEquals(6.0, Fixtures.intensity(id), 1e-9);
    }

    @Test
    void concurrentRepeatsOfOneDepositorAllAddUp() throws Exception {
        // EXPIRY keeps its intensity until the TTL, and the test clock stands still: the sum is exact
        String type = Fixtures.register(Map.of("kind", "EXPIRY", "ttlSeconds", 3600),
                Map.of("maxIntensity", 1000.0, "depositCap", 1000.0));
        String job = Api.job(Api.environment());
        String path = "/entities/job/" + job + "/pheromones";
        Api.Agent depositor = Api.agent();
        long id = Fixtures.deposit(depositor, job, type, 1.0);
        int threads = 16;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> calls = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            calls.add(pool.submit(() -> {
                start.await();
                List<Integer> statuses = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    statuses.add(depositor.call().body(Map.of("type", type, "intensity", 1.0)).post(path).statusCode());
                }
                return statuses;
            }));
        }
        start.countDown();
        for (Future<List<Integer>> call : calls) {
            assertEquals(Collections.nCopies(each, 200), call.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertEquals(1 + threads * each, Fixtures.intensity(id), 1e-9);
        // each repeat folded onto the one before it: every intensity before a repeat occurs exactly once
        List<Number> before = Api.asAdmin().queryParam("entity", "job/" + job)
                .queryParam("type", "pheromone.deposited").queryParam("limit", 1000).get("/events")
                .then().statusCode(200).extract().path("events.data.intensityBefore");
        List<Double> seen = before.stream().map(Number::doubleValue).sorted().toList();
        List<Double> expected = new ArrayList<>();
        for (int i = 0; i <= threads * each; i++) {
            expected.add((double) i);
        }
        assertEquals(expected, seen);
    }
}
