package dev.stigmergy.colony;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The yardstick of the summary: critical path, list scheduling on K workers, the sum, and a staged death. */
class ScheduleBoundsTest {

    private static List<Duration> seconds(long... s) {
        return java.util.Arrays.stream(s).mapToObj(Duration::ofSeconds).toList();
    }

    @Test
    void aChainIsAsLongAsItsSumWhateverTheWorkers() {
        ScheduleBounds b = ScheduleBounds.of(seconds(1, 2, 3), Map.of(1, Set.of(0), 2, Set.of(1)), 8, null);
        assertEquals(Duration.ofSeconds(6), b.criticalPath());
        assertEquals(Duration.ofSeconds(6), b.listSchedule());
        assertEquals(Duration.ofSeconds(6), b.sequential());
    }

    @Test
    void independentJobsShareTheWorkers() {
        ScheduleBounds b = ScheduleBounds.of(seconds(1, 1, 1, 1, 1, 1, 1, 1), Map.of(), 4, null);
        assertEquals(Duration.ofSeconds(1), b.criticalPath());
        assertEquals(Duration.ofSeconds(2), b.listSchedule());
        assertEquals(Duration.ofSeconds(8), b.sequential());
        assertEquals(0.5, b.efficiency(Duration.ofSeconds(4)), 1e-9);
    }

    @Test
    void listSchedulingTakesTheOldestReadyJobFirst() {
        // 0 → 2 (long); 1 independent: two workers run 0 and 1, then 2 after 0
        ScheduleBounds b = ScheduleBounds.of(seconds(1, 3, 4), Map.of(2, Set.of(0)), 2, null);
        assertEquals(Duration.ofSeconds(5), b.criticalPath());
        assertEquals(Duration.ofSeconds(5), b.listSchedule());
        // one worker: everything in a row
        assertEquals(Duration.ofSeconds(8), ScheduleBounds.of(seconds(1, 3, 4), Map.of(2, Set.of(0)), 1, null).listSchedule());
    }

    @Test
    void aStagedDeathWorksAloneThenHoldsItsJobForOneLease() {
        // worker 1 does job 0 alone (1 s), dies in job 1 at 1 s; job 1 is free again at 1 + 5 s and takes 1 s;
        // the other three workers do jobs 2..5 from 1 s: 2 s
        ScheduleBounds b = ScheduleBounds.of(seconds(1, 1, 1, 1, 1, 1), Map.of(), 4,
                new ScheduleBounds.Death(1, Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(7), b.listSchedule());
        assertTrue(b.listSchedule().compareTo(ScheduleBounds.of(seconds(1, 1, 1, 1, 1, 1), Map.of(), 4, null).listSchedule()) > 0);
    }

    @Test
    void theBoundHoldsBackTheJobTheRunsWorkerDiedIn() {
        // worker 1 does job 0 alone (1 s) and dies; job 3 follows job 2. Died in job 1 (the oldest ready): the other
        // worker does 2 and 3 meanwhile, job 1 runs at 6 s. Died in job 2: job 1 meanwhile, then 2 at 6 s and 3 at 7 s
        Map<Integer, Set<Integer>> dag = Map.of(3, Set.of(2));
        assertEquals(Duration.ofSeconds(7), ScheduleBounds.of(seconds(1, 1, 1, 1), dag, 2,
                new ScheduleBounds.Death(1, Duration.ofSeconds(5))).listSchedule());
        assertEquals(Duration.ofSeconds(7), ScheduleBounds.of(seconds(1, 1, 1, 1), dag, 2,
                new ScheduleBounds.Death(1, Duration.ofSeconds(5), 1)).listSchedule());
        assertEquals(Duration.ofSeconds(8), ScheduleBounds.of(seconds(1, 1, 1, 1), dag, 2,
                new ScheduleBounds.Death(1, Duration.ofSeconds(5), 2)).listSchedule());
    }

    @Test
    void thinkTimesAreDrawnAroundTheMeanFromTheSeedAndTheJobAlone() {
        Colony.Settings settings = new Colony.Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1), 0, 42,
                Duration.ofMillis(1000), true);
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            long ms = settings.think(job(i)).toMillis();
            assertTrue(ms >= 500 && ms <= 1500, "between half and 1.5 times the mean: " + ms);
            assertEquals(ms, settings.think(job(i)).toMillis(), "the same job, the same time");
            sum += ms;
        }
        assertEquals(1000, sum / 200.0, 60, "around the mean");
        assertEquals(Duration.ZERO, new Colony.Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1), 0, 42,
                Duration.ZERO, true).think(job(3)));
    }

    private static Job job(int index) {
        return new Job(index, org.eclipse.jgit.lib.ObjectId.zeroId(), null, "0000000", "s", "k" + index, Set.of(), List.of());
    }
}
