package dev.stigmergy.colony;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay achieved.
 *
 * @param mode          {@code coordinated} or {@code uncoordinated}
 * @param environment   the run's environment on the service
 * @param scratch       the scratch clone (integration branch {@code colony/integration})
 * @param jobs          jobs in the replay
 * @param done          jobs integrated
 * @param perAgent      jobs integrated by each agent
 * @param doneBy        entity → agent that integrated it
 * @param conflicts     merge conflicts met (each failed three-way merge counts once)
 * @param killWorkerAfter worker 1 was to die after this many jobs, 0 = nobody
 * @param killed        the worker killed mid-job and its job, or {@code null}
 * @param approved      done marks the validator approved
 * @param rejected      done marks the validator rejected
 * @param wall          wall time of the replay (after setup)
 * @param identical     whether the integration branch's tree is the tip's tree (same tree id)
 * @param tip           the replayed tip commit
 * @param head          the integration branch's last commit
 */
record ReplaySummary(String mode, String environment, String scratch, int jobs, int done, Map<String, Integer> perAgent,
                     Map<String, String> doneBy, int conflicts, int killWorkerAfter, Colony.Killed killed, int approved, int rejected,
                     Duration wall, boolean identical, String tip, String head) {

    /** Who finished the killed worker's job, or {@code null}. */
    String killedJobFinishedBy() {
        return killed == null ? null : doneBy.get(killed.entity());
    }

    /** The coordinated goal: everything done, no conflict, the tip's tree. */
    boolean succeeded() {
        return done == jobs && conflicts == 0 && identical;
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
        }
        out.printf("wall time        %.1f s%n", wall.toMillis() / 1000.0);
        out.printf("final tree       %s to the tip %s (integration head %s)%n",
                identical ? "IDENTICAL" : "DIFFERENT", tip, head);
    }
}
