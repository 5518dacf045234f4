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
 * Deposits outside a transaction are written in rounds (DepositBatcher): read without a lock, written only if the row
 * is unchanged since, else deposited again under the row lock (PheromoneService.depositAs). No deposit is lost or
 * counted twice, whoever else writes the row, the entity or its aggregate meanwhile.
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

    @Test
    void concurrentDepositorsOnSharedEntitiesAllCountInTheirAggregates() throws Exception {
        String type = Fixtures.register(Map.of("kind", "EXPIRY", "ttlSeconds", 3600),
                Map.of("maxIntensity", 1000.0, "depositCap", 1000.0));
        String env = Api.environment();
        List<String> jobs = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            jobs.add(Api.job(env));
        }
        int agents = 16;
        int rounds = 6;
        List<Api.Agent> depositors = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            depositors.add(Api.agent());
        }
        ExecutorService pool = Executors.newFixedThreadPool(agents);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Integer>>> calls = new ArrayList<>();
        for (int a = 0; a < agents; a++) {
            Api.Agent depositor = depositors.get(a);
            double intensity = a + 1;
            calls.add(pool.submit(() -> {
                start.await();
                List<Integer> statuses = new ArrayList<>();
                for (int r = 0; r < rounds; r++) {
                    for (String job : jobs) {
                        statuses.add(depositor.call().body(Map.of("type", type, "intensity", intensity))
                                .post("/entities/job/" + job + "/pheromones").statusCode());
                    }
                }
                return statuses;
            }));
        }
        start.countDown();
        List<Integer> expectedStatuses = new ArrayList<>(Collections.nCopies(jobs.size(), 201));
        expectedStatuses.addAll(Collections.nCopies(jobs.size() * (rounds - 1), 200));
        for (Future<List<Integer>> call : calls) {
            assertEquals(expectedStatuses, call.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        // EXPIRY keeps its intensity and the test clock stands still: every job holds rounds × (1 + … + agents)
        double total = rounds * agents * (agents + 1) / 2.0;
        List<Map<String, Object>> ranked = Api.asAdmin().queryParam("type", type).queryParam("environment", env)
                .queryParam("limit", 10).get("/pheromones/ranking").then().statusCode(200).extract().path("aggregates");
        assertEquals(jobs.stream().map(j -> "job/" + j).sorted().toList(),
                ranked.stream().map(m -> (String) m.get("entity")).sorted().toList());
        for (Map<String, Object> aggregate : ranked) {
            assertEquals(total, ((Number) aggregate.get("totalIntensity")).doubleValue(), 1e-3);
            assertEquals(agents, ((Number) aggregate.get("count")).intValue());
        }
        for (String job : jobs) {
            List<Map<String, Object>> events = Api.asAdmin().queryParam("entity", "job/" + job)
                    .queryParam("type", "pheromone.deposited").queryParam("limit", 1000).get("/events")
                    .then().statusCode(200).extract().path("events.data");
            assertEquals(agents * rounds, events.size());
            // each depositor's first deposit created its pheromone, and every event names one of those
            assertEquals(agents, events.stream().filter(e -> Boolean.FALSE.equals(e.get("repeat"))).count());
            assertEquals(agents, events.stream().map(e -> e.get("pheromone")).distinct().count());
        }
    }
}
