package dev.stigmergy.colony;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary's JSON: the figures the text prints, durations in seconds, efficiency as bound ÷ wall time. */
class ReplaySummaryTest {

    @Test
    void jsonCarriesBoundsWallTimeEfficiencyAndWaits() throws Exception {
        ScheduleBounds bounds = new ScheduleBounds(Duration.ofSeconds(4), Duration.ofSeconds(8), Duration.ofSeconds(40));
        ReplaySummary summary = new ReplaySummary("coordinated", "replay-x", "/tmp/x", 40, 40, Map.of("worker-1", 40), Map.of(), 0, 0,
                null, 40, 0, Duration.ofSeconds(10), true, "abc1234", "def5678", 8, Duration.ofMillis(1000), bounds,
                Map.of(Colony.Wait.LOCKS, Duration.ofMillis(1500)),
                new ReplaySummary.ScoutReport(Duration.ofMillis(900), Duration.ofSeconds(3), 30, 39, Duration.ofSeconds(6), 1,
                        Map.of(1, Set.of(0)), new ReplaySummary.StartUp(Duration.ofMillis(31_400), Duration.ofSeconds(30),
                        Duration.ofMillis(2_500))), 0, Map.of("declare", new long[] {40, 12}), 0);

        JsonNode json = new ObjectMapper().readTree(summary.toJson());

        assertEquals(4.0, json.get("criticalPathSeconds").asDouble());
        assertEquals(8.0, json.get("boundSeconds").asDouble());
        assertEquals(40.0, json.get("sequentialSeconds").asDouble());
        assertEquals(10.0, json.get("wallSeconds").asDouble());
        assertEquals(0.8, json.get("efficiency").asDouble(), 1e-9);
        assertEquals(1.5, json.get("waitedSeconds").get("locks").asDouble());
        assertEquals(0.9, json.get("scout").get("firstReadySeconds").asDouble());
        assertEquals(39, json.get("scout").get("fileLevelLinks").asInt());
        assertEquals(30.0, json.get("scout").get("fromProcessStart").get("serviceReadySeconds").asDouble());
        assertEquals(31.4, json.get("scout").get("fromProcessStart").get("firstReadySeconds").asDouble());
        assertEquals(12, json.get("steps").get("declare").get("meanMillis").asInt());
        assertTrue(json.get("identical").asBoolean());
    }
}
