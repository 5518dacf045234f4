package dev.stigmergy.metrics;

import dev.stigmergy.event.SseClient;
import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The domain metrics on {@code /q/metrics} after known operations. The test database is shared with other tests
 * and runs, so values are compared before and after.
 */
@QuarkusTest
class DomainMetricsTest {

    @Inject
    HoldGauges gauges;

    private static String scrape() {
        return RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of every sample of {@code name} whose labels contain each of {@code labels}. */
    private static double value(String metrics, String name, String... labels) {
        return metrics.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void holdGaugesCountLiveLocksIntentsBlockedFilesAndPendingRequests() {
        HoldGauges.Counts before = gauges.refresh();
        String env = Api.environment();
        Api.Agent holder = Api.agent(), requester = Api.agent();
        String job = Api.job(env);
        holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + job + "/lock").then().statusCode(201);
        holder.call().body(Map.of("entity", "job/" + job, "description", "work", "priority", 5, "leaseSeconds", 600,
                        "files", List.of(Map.of("path", "a.py", "level", 4), Map.of("path", "b.py", "level", 4),
                                Map.of("path", "c.py", "level", 2))))
                .post("/environments/" + env + "/intents").then().statusCode(201);
        requester.call().body(Map.of("reason", "need it")).post("/entities/job/" + job + "/lock/unlock-requests")
                .then().statusCode(201);

        HoldGauges.Counts after = gauges.refresh();
        assertEquals(before.locks() + 1, after.locks());
        assertEquals(before.intentsByLevel()[3] + 1, after.intentsByLevel()[3]);
        assertEquals(before.intentsByLevel()[1] + 1, after.intentsByLevel()[1]);
        assertEquals(before.intentsByLevel()[0], after.intentsByLevel()[0]);
        assertEquals(before.filesBlocked() + 2, after.filesBlocked());
        assertEquals(before.unlockRequestsPending() + 1, after.unlockRequestsPending());
        String metrics = scrape(); // within the cache's life: the values just read
        assertEquals(after.locks(), value(metrics, "stigmergy_locks_held"), 0.1);
        assertEquals(after.intentsByLevel()[3], value(metrics, "stigmergy_intents", "level=\"4\""), 0.1);
        assertEquals(after.filesBlocked(), value(metrics, "stigmergy_files_blocked"), 0.1);
        assertEquals(after.unlockRequestsPending(), value(metrics, "stigmergy_unlock_requests_pending"), 0.1);
    }

    @Test
    void depositsAreCountedAndStreamsAndTheBridgeLagAreReported() throws Exception {
        String job = Api.job(Api.environment());
        double deposits = value(scrape(), "stigmergy_pheromone_deposits_total", "result=\"success\"");
        Api.Agent agent = Api.agent();
        agent.call().body(Map.of("type", "workingonit")).post("/entities/job/" + job + "/pheromones").then().statusCode(201);
        agent.call().body(Map.of("type", "workingonit")).post("/entities/job/" + job + "/pheromones").then().statusCode(200);
        assertEquals(deposits + 2, value(scrape(), "stigmergy_pheromone_deposits_total", "result=\"success\""), 0.1);

        double streams = value(scrape(), "stigmergy_event_stream_subscribers");
        try (SseClient stream = SseClient.open("http://localhost:" + RestAssured.port, Api.ADMIN_TOKEN, "/events/stream", Map.of())) {
            Await.until(() -> value(scrape(), "stigmergy_event_stream_subscribers") == streams + 1, Duration.ofSeconds(30),
                    Duration.ofMillis(100), "the stream to be counted");
        }
        String metrics = scrape();
        assertTrue(metrics.contains("stigmergy_nats_bridge_lag_events "), "bridge lag reported");
        assertEquals(0, value(metrics, "stigmergy_nats_bridge_lag_events"), 0.1); // the bridge is off in this profile
    }
}
