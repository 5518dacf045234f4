package dev.stigmergy.colony;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The baseline: the same worker with locks, intents and signals ignored. Jobs are dealt round-robin up front;
 * each worker integrates its share in its own order as fast as it can, without waiting for the jobs a commit
 * depends on. A conflicting job goes to the back of its queue and is tried again, at most {@value #ATTEMPTS}
 * times in all.
 */
final class UncoordinatedWorker implements Callable<Void> {

    static final int ATTEMPTS = 3;
    private final Colony colony;
    private final String agent;
    private final List<Job> share;
    private final long seed;

    UncoordinatedWorker(Colony colony, String agent, List<Job> share, long seed) {
        this.colony = colony;
        this.agent = agent;
        this.share = share;
        this.seed = seed;
    }

    @Override
    public Void call() throws IOException {
        List<Job> order = new ArrayList<>(share);
        Collections.shuffle(order, new Random(seed));
        Deque<Job> queue = new ArrayDeque<>(order);
        Map<Job, Integer> attempts = new HashMap<>();
        while (!queue.isEmpty() && !colony.overdue()) {
            Job job = queue.poll();
            Instant began = Instant.now();
            colony.think(job);
            ReplayRepository.Applied applied = colony.repo.apply(job);
            int attempt = attempts.merge(job, 1, Integer::sum);
            if (applied.clean()) {
                colony.credit(agent, job);
                colony.progress(String.format("done   %s %-28s by %s in %d ms → %s  %s", job.shortSha(), job.entity(), agent,
                        Duration.between(began, Instant.now()).toMillis(), ReplayRepository.describe(applied.commit()), job.subject()));
            } else {
                colony.conflicts.incrementAndGet();
                colony.progress(String.format("CONFLICT %s on %s (attempt %d of %d): %s", agent, job.entity(), attempt,
                        ATTEMPTS, applied.conflicts()));
                if (attempt < ATTEMPTS) {
                    queue.addLast(job);
                }
            }
        }
        return null;
    }
}
