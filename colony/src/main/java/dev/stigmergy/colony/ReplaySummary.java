package dev.stigmergy.colony;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay achieved, and what the best schedule could have achieved.
 *
 * @param mode            {@code coordinated} or {@code uncoordinated}
 * @param environment     the run's environment on the service
 * @param scratch         the scratch clone (integration branch {@code colony/integration})
 * @param jobs            jobs in the replay
 * @param done            jobs integrated
 * @param perAgent        jobs integrated by each agent
 * @param doneBy          entity → agent that integrated it
 * @param conflicts       merge conflicts met (each failed three-way merge counts once)
 * @param killWorkerAfter worker 1 was to die after this many jobs, 0 = nobody
 * @param killed          the worker killed mid-job and its job, or {@code null}
 * @param approved        done marks the validator approved
 * @param rejected        done marks the validator rejected
 * @param wall            achieved wall time: from the agents' start (scout included) to the last worker's end
 * @param identical       whether the integration branch's tree is the tip's tree (same tree id)
 * @param tip             the replayed tip commit
 * @param head            the integration branch's last commit
 * @param workers         K, the workers started
 * @param think           mean think time per job
 * @param bounds          what an overhead-free schedule of the scout's DAG reaches, or {@code null} (baseline)
 * @param waits           worker time spent waiting, per cause, summed over the workers
 * @param scout           the scout: its analysis and publishing time, first job ready, dependency links
 * @param casRetries      compare-and-set retries of the integration branch (another worker moved it first)
 * @param steps           per step of the workers' jobs (a service call, think, integrate): {@code [times, mean ms]}
 * @param mcpToolCalls    tool calls the workers and validator made on {@code /mcp} ({@code --via mcp}); 0 over REST
 */
record ReplaySummary(String mode, String environment, String scratch, int jobs, int done, Map<String, Integer> perAgent,
                     Map<String, String> doneBy, int conflicts, int killWorkerAfter, Colony.Killed killed, int approved,
                     int rejected, Duration wall, boolean identical, String tip, String head, int workers, Duration think,
                     ScheduleBounds bounds, Map<Colony.Wait, Duration> waits, ScoutReport scout, int casRetries, Map<String, long[]> steps,
                     long mcpToolCalls) {

    /**
     * What the scout did.
     *
     * @param firstReady     from the service's readiness (the command's start when it was running already) to the first
     *                       job published; the scratch clone and tree diffs, prepared while the service starts, count
     *                       only where they outlast it
     * @param allPublished   from the service's readiness to the last job published
     * @param links          {@code depends-on} links recorded
     * @param fileLinks      links file level would have recorded
     * @param fileLevelCriticalPath the critical path of the file-level DAG, against the recorded DAG's
     * @param fallbacks      jobs that met a conflict running ahead of file-level order and waited for it instead
     * @param dag            the recorded links: job index (0 = oldest) → the earlier indexes it depends on
     * @param startUp        the same first job against the colony process's start, or {@code null} (a test's replay)
     */
    record ScoutReport(Duration firstReady, Duration allPublished, int links, int fileLinks, Duration fileLevelCriticalPath,
                       int fallbacks, Map<Integer, java.util.Set<Integer>> dag, StartUp startUp) {
    }

    /**
     * The command's start-up, each from the colony process's start (its JVM start-up included).
     *
     * @param firstReady   the first job published
     * @param serviceReady the service answered ready: its whole start when the command started it (embedded
     *                     PostgreSQL included), one health call when it was running
     * @param prepared     the scratch clone, the tree diffs and JGit's warm-up done (they run while the service starts)
     */
    record StartUp(Duration firstReady, Duration serviceReady, Duration prepared) {
    }

    /** Who finished the killed worker's job, or {@code null}. */
    String killedJobFinishedBy() {
        return killed == null ? null : doneBy.get(killed.entity());
    }

    /** The coordinated goal: everything done, no conflict, the tip's tree. */
    boolean succeeded() {
        return done == jobs && conflicts == 0 && identical;
    }

    /** Bound ÷ achieved wall time, or {@code NaN} without bounds or think time. */
    double efficiency() {
        return bounds == null || think.isZero() ? Double.NaN : bounds.efficiency(wall);
    }

    void print(PrintStream out) {
        out.println();
        out.println("== replay summary (" + mode + ") ==");
        out.printf("environment      %s (scratch clone %s, branch colony/integration)%n", environment, scratch);
        out.printf("jobs done        %d of %d%n", done, jobs);
        out.printf("per agent        %s%n", new TreeMap<>(perAgent));
        out.printf("merge conflicts  %d%n", conflicts);
        if (killed != null) {
            out.printf("killed worker    %s died holding %s; finished by %s%n", killed.agent(), killed.entity(),
                    killedJobFinishedBy() == null ? "nobody" : killedJobFinishedBy());
        } else if (killWorkerAfter > 0) {
            out.printf("killed worker    nobody: worker 1 never reached its job number %d%n", killWorkerAfter + 1);
        }
        if ("coordinated".equals(mode)) {
            out.printf("validated        %d approved, %d rejected%n", approved, rejected);
            out.printf("workers' door    %s%n", mcpToolCalls > 0 ? "MCP: " + mcpToolCalls + " tool calls on /mcp" : "REST (the Java SDK)");
        }
        if (scout != null) {
            out.printf("scout            first job ready %.2f s after the service answered, all published at %.2f s%n",
                    seconds(scout.firstReady()), seconds(scout.allPublished()));
            StartUp up = scout.startUp();
            if (up != null) {
                out.printf("start-up         from the colony's process start: service ready %.2f s, scratch clone, tree diffs and warm-up done %.2f s, "
                        + "first job ready %.2f s%n", seconds(up.serviceReady()), seconds(up.prepared()), seconds(up.firstReady()));
            }
            out.printf("dependencies     %d depends-on links (file level: %d); critical path %.1f s (file level: %.1f s); "
                            + "%d fell back to file-level order on a conflict%n", scout.links(), scout.fileLinks(),
                    seconds(bounds.criticalPath()), seconds(scout.fileLevelCriticalPath()), scout.fallbacks());
        }
        out.printf("think time       %d ms mean per job, %d workers%n", think.toMillis(), workers);
        if (bounds != null) {
            out.printf("critical path    %.1f s (the least wall time any number of workers could reach)%n", seconds(bounds.criticalPath()));
            out.printf("bound, %d workers %.1f s (list scheduling of the DAG with no overhead%s)%n", workers,
                    seconds(bounds.listSchedule()), killed != null ? ", with the same death" : "");
            out.printf("sequential       %.1f s (one worker: the sum of think times)%n", seconds(bounds.sequential()));
        }
        out.printf("wall time        %.1f s%n", seconds(wall));
        if (!Double.isNaN(efficiency())) {
            out.printf("efficiency       %.2f (bound ÷ wall time); speed-up over one worker %.1f×%n", efficiency(),
                    seconds(bounds.sequential()) / seconds(wall));
        }
        out.printf("waited           %s (summed over the workers)%n", waitsLine());
        StringBuilder perStep = new StringBuilder();
        steps.forEach((step, t) -> perStep.append(perStep.length() == 0 ? "" : ", ").append(step).append(' ').append(t[1])
                .append(" ms ×").append(t[0]));
        out.printf("per step (mean)  %s%n", perStep);
        out.printf("integration      %d compare-and-set retries of colony/integration%n", casRetries);
        out.printf("final tree       %s to the tip %s (integration head %s)%n",
                identical ? "IDENTICAL" : "DIFFERENT", tip, head);
    }

    private String waitsLine() {
        StringBuilder line = new StringBuilder();
        waits.forEach((why, d) -> line.append(line.length() == 0 ? "" : ", ").append(key(why)).append(' ')
                .append(String.format("%.1f s", seconds(d))));
        return line.toString();
    }

    /** The summary as one JSON object: durations in seconds, efficiency a number (null without bounds). */
    String toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("environment", environment);
        json.put("scratch", scratch);
        json.put("jobs", jobs);
        json.put("done", done);
        json.put("perAgent", new TreeMap<>(perAgent));
        json.put("conflicts", conflicts);
        json.put("killed", killed == null ? null : Map.of("agent", killed.agent(), "entity", killed.entity(),
                "finishedBy", String.valueOf(killedJobFinishedBy())));
        json.put("approved", approved);
        json.put("rejected", rejected);
        json.put("workers", workers);
        json.put("thinkMillis", think.toMillis());
        if (bounds != null) {
            json.put("criticalPathSeconds", seconds(bounds.criticalPath()));
            json.put("boundSeconds", seconds(bounds.listSchedule()));
            json.put("sequentialSeconds", seconds(bounds.sequential()));
        }
        json.put("wallSeconds", seconds(wall));
        json.put("efficiency", Double.isNaN(efficiency()) ? null : efficiency());
        Map<String, Double> waited = new LinkedHashMap<>();
        waits.forEach((why, d) -> waited.put(key(why), seconds(d)));
        json.put("waitedSeconds", waited);
        if (scout != null) {
            Map<String, Object> scouted = new LinkedHashMap<>(Map.of("firstReadySeconds", seconds(scout.firstReady()),
                    "allPublishedSeconds", seconds(scout.allPublished()), "links", scout.links(), "fileLevelLinks", scout.fileLinks(),
                    "fileLevelCriticalPathSeconds", seconds(scout.fileLevelCriticalPath()), "fallbacks", scout.fallbacks()));
            if (scout.startUp() != null) {
                scouted.put("fromProcessStart", Map.of("serviceReadySeconds", seconds(scout.startUp().serviceReady()),
                        "preparedSeconds", seconds(scout.startUp().prepared()), "firstReadySeconds", seconds(scout.startUp().firstReady())));
            }
            json.put("scout", scouted);
        }
        json.put("casRetries", casRetries);
        json.put("mcpToolCalls", mcpToolCalls);
        Map<String, Object> perStep = new LinkedHashMap<>();
        steps.forEach((step, t) -> perStep.put(step, Map.of("count", t[0], "meanMillis", t[1])));
        json.put("steps", perStep);
        json.put("identical", identical);
        json.put("tip", tip);
        json.put("head", head);
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String key(Colony.Wait why) {
        return switch (why) {
            case LOCKS -> "locks";
            case LAPSED_LEASE -> "lapsedLeases";
            case SCOUT -> "scout";
            case DYING_WORKER -> "dyingWorker";
            case DEPENDENCIES -> "dependencies";
        };
    }

    private static double seconds(Duration d) {
        return Math.round(d.toMillis() / 10.0) / 100.0;
    }
}
