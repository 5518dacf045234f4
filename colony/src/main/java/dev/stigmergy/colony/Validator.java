package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import org.eclipse.jgit.lib.ObjectId;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The validator: for every job marked done it checks that the integration commit named in the mark holds the
 * original commit's version of every path the commit touches, and approves (reinforces) or rejects the mark
 * with a verdict, through its {@link WorkerPort} (REST or MCP, as the workers). It stops when every job is judged or the workers have stopped and nothing is left.
 */
final class Validator implements Callable<Void> {

    private final Colony colony;
    private final Medium medium;
    private final WorkerPort port;
    private final Set<String> judged = new HashSet<>();
    private volatile boolean workersStopped;

    Validator(Colony colony, Medium medium, WorkerPort port) {
        this.colony = colony;
        this.medium = medium;
        this.port = port;
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
            for (String entity : colony.done(port)) {
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
        for (WorkerPort.Mark mark : port.sense(job.entity())) {
            if (!Signals.DONE.equals(mark.type()) || !(mark.payload() instanceof Map<?, ?> payload)) {
                continue;
            }
            ObjectId integrated = ObjectId.fromString(String.valueOf(payload.get("commit")));
            boolean matches = colony.repo.holdsChange(job, integrated);
            port.verdict(mark.id(), matches,
                    (matches ? "matches " : "differs from ") + job.commit().name() + " on " + job.paths().size() + " paths");
            (matches ? colony.approved : colony.rejected).incrementAndGet();
            judged.add(job.entity());
            colony.progress(String.format("%-6s %s %s: integration commit %s %s the original's files",
                    matches ? "valid" : "INVALID", medium.agentId(), job.entity(), ReplayRepository.describe(integrated),
                    matches ? "holds" : "does NOT hold"));
        }
    }
}
