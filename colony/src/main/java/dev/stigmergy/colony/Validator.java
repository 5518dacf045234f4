package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.PheromoneView;
import dev.stigmergy.client.model.Verdict;
import org.eclipse.jgit.lib.ObjectId;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The validator: for every job marked done it checks that the integration commit named in the mark holds the
 * original commit's version of every path the commit touches, and approves (reinforces) or rejects the mark
 * with a verdict. It stops when every job is judged or the workers have stopped and nothing is left.
 */
final class Validator implements Callable<Void> {

    private final Colony colony;
    private final Medium medium;
    private final Set<String> judged = new HashSet<>();
    private volatile boolean workersStopped;

    Validator(Colony colony, Medium medium) {
        this.colony = colony;
        this.medium = medium;
    }

    /** The workers have all returned: one more pass over the marks, then stop. */
    void workersStopped() {
        workersStopped = true;
    }

    @Override
    public Void call() throws ApiException, IOException {
        while (judged.size() < colony.jobCount() && !colony.overdue()) {
            boolean last = workersStopped;
            int before = judged.size();
            for (String entity : colony.done(medium)) {
                if (!judged.contains(entity)) {
                    judge(colony.job(entity));
                }
            }
            if (last) {
                return null;
            }
            if (judged.size() == before) {
                colony.pause();
            }
        }
        return null;
    }

    private void judge(Job job) throws ApiException, IOException {
        for (PheromoneView mark : medium.pheromones().senseEntity("job", job.key()).getPheromones()) {
            if (!Signals.DONE.equals(mark.getType()) || !(mark.getPayload() instanceof Map<?, ?> payload)) {
                continue;
            }
            ObjectId integrated = ObjectId.fromString(String.valueOf(payload.get("commit")));
            boolean matches = colony.repo.holdsChange(job, integrated);
            medium.pheromones().reinforcePheromone(mark.getId(), new Verdict().approve(matches)
                    .trigger((matches ? "matches " : "differs from ") + job.commit().name() + " on " + job.paths().size() + " paths"));
            (matches ? colony.approved : colony.rejected).incrementAndGet();
            judged.add(job.entity());
            colony.progress(String.format("%-6s %s %s: integration commit %s %s the original's files",
                    matches ? "valid" : "INVALID", medium.agentId(), job.entity(), ReplayRepository.describe(integrated),
                    matches ? "holds" : "does NOT hold"));
        }
    }
}
