package dev.stigmergy.colony;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What the best schedule of a replay could reach, with the jobs' think times and no overhead at all: the yardstick
 * of the summary's efficiency.
 *
 * <ul>
 *   <li>{@code criticalPath}: the longest chain of think times through the dependency DAG, the least wall time
 *       any number of workers could reach;</li>
 *   <li>{@code listSchedule}: the makespan of list scheduling on K workers (Graham): whenever a worker is free it
 *       takes the oldest job whose dependencies are done, as the colony's importance ranks them. Never below
 *       {@code max(criticalPath, sequential / K)}, and at most twice the optimum;</li>
 *   <li>{@code sequential}: the sum of the think times, what one worker needs.</li>
 * </ul>
 * A run with a killed worker is measured against the same list schedule with the same death: worker 1 works alone
 * through its first jobs, takes one more (the one the run's worker died in) and dies holding it; the others start
 * then, and the job it held becomes available one lease later (when its lock and intent lapse).
 *
 * @param criticalPath the longest think-time chain
 * @param listSchedule list-scheduling makespan on K workers (with the death, when there is one)
 * @param sequential   the sum of think times
 */
record ScheduleBounds(Duration criticalPath, Duration listSchedule, Duration sequential) {

    /**
     * A worker's death as the colony stages it.
     *
     * @param jobsBefore jobs worker 1 finishes alone before it dies in the next one
     * @param lease      how long the job it dies in stays held
     * @param held       the job it died in (index), as the run chose it; -1 for the oldest ready one then
     */
    record Death(int jobsBefore, Duration lease, int held) {

        Death(int jobsBefore, Duration lease) {
            this(jobsBefore, lease, -1);
        }
    }

    /**
     * @param think    think time per job, by index (0 = oldest)
     * @param waitsFor index → the earlier indexes it depends on
     * @param workers  K ≥ 1
     * @param death    the staged death, or {@code null}
     */
    static ScheduleBounds of(List<Duration> think, Map<Integer, Set<Integer>> waitsFor, int workers, Death death) {
        int n = think.size();
        long[] t = think.stream().mapToLong(Duration::toMillis).toArray();
        long[] longest = new long[n];
        long critical = 0;
        long sum = 0;
        for (int j = 0; j < n; j++) { // indexes are a topological order: dependencies are always earlier
            long before = 0;
            for (int d : waitsFor.getOrDefault(j, Set.of())) {
                before = Math.max(before, longest[d]);
            }
            longest[j] = before + t[j];
            critical = Math.max(critical, longest[j]);
            sum += t[j];
        }
        return new ScheduleBounds(Duration.ofMillis(critical), Duration.ofMillis(listSchedule(t, waitsFor, workers, death)),
                Duration.ofMillis(sum));
    }

    private static long listSchedule(long[] think, Map<Integer, Set<Integer>> waitsFor, int workers, Death death) {
        Simulation sim = new Simulation(think, waitsFor);
        if (death == null || workers < 2) {
            return sim.run(0, workers, Integer.MAX_VALUE);
        }
        long died = sim.run(0, 1, death.jobsBefore()); // alone until it dies
        // the job the run's worker died in when the schedule has it ready too (the worker picks among the best two)
        Integer held = death.held() >= 0 && sim.ready(death.held(), died) ? Integer.valueOf(death.held()) : sim.oldestReady(died);
        if (held != null) {
            sim.releaseAt[held] = died + death.lease().toMillis();
        }
        return sim.run(died, workers - 1, Integer.MAX_VALUE);
    }

    /** Discrete-event list scheduling: free workers take the oldest available job; time jumps to the next event. */
    private static final class Simulation {
        final long[] think;
        final Map<Integer, Set<Integer>> waitsFor;
        final long[] finish;
        final long[] releaseAt;
        final boolean[] started;
        int done;

        Simulation(long[] think, Map<Integer, Set<Integer>> waitsFor) {
            this.think = think;
            this.waitsFor = waitsFor;
            this.finish = new long[think.length];
            this.releaseAt = new long[think.length];
            this.started = new boolean[think.length];
        }

        /** Runs from {@code start} with {@code workers} free workers until {@code stopAfter} more jobs are done; answers the time then. */
        long run(long start, int workers, int stopAfter) {
            long now = start;
            int free = workers;
            int target = stopAfter == Integer.MAX_VALUE ? think.length : Math.min(think.length, done + stopAfter);
            PriorityQueue<long[]> running = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
            while (done < target) {
                Integer next;
                while (free > 0 && (next = oldestReady(now)) != null) {
                    started[next] = true;
                    finish[next] = Long.MAX_VALUE; // running
                    running.add(new long[] {now + think[next], next});
                    free--;
                }
                long event = running.isEmpty() ? Long.MAX_VALUE : running.peek()[0];
                for (int j = 0; j < think.length; j++) {
                    if (!started[j] && releaseAt[j] > now && depsDoneBy(j, now)) {
                        event = Math.min(event, releaseAt[j]);
                    }
                }
                if (event == Long.MAX_VALUE) {
                    throw new IllegalStateException("the dependency graph has jobs no schedule can reach");
                }
                now = event;
                while (!running.isEmpty() && running.peek()[0] <= now && done < target) {
                    long[] ended = running.poll();
                    finish[(int) ended[1]] = ended[0];
                    done++;
                    free++;
                }
            }
            // a partial run (the death) hands back its unfinished jobs: it is stopped at a completion, one worker, so none run
            return now;
        }

        boolean ready(int j, long now) {
            return !started[j] && releaseAt[j] <= now && depsDoneBy(j, now);
        }

        Integer oldestReady(long now) {
            for (int j = 0; j < think.length; j++) {
                if (!started[j] && releaseAt[j] <= now && depsDoneBy(j, now)) {
                    return j;
                }
            }
            return null;
        }

        private boolean depsDoneBy(int j, long now) {
            for (int d : waitsFor.getOrDefault(j, Set.of())) {
                if (!started[d] || finish[d] > now) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Efficiency of an achieved wall time: the bound divided by it (1.0 = as good as the overhead-free schedule). */
    double efficiency(Duration achieved) {
        return achieved.isZero() ? 0 : (double) listSchedule.toMillis() / achieved.toMillis();
    }

    static List<Duration> thinkTimes(List<Job> jobs, Colony.Settings settings) {
        List<Duration> times = new ArrayList<>();
        for (Job job : jobs) {
            times.add(settings.think(job));
        }
        return times;
    }
}
