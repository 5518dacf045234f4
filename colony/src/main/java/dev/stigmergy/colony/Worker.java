package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.AcquireLock;
import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclareMode;
import dev.stigmergy.client.model.DeclaredFile;
import dev.stigmergy.client.model.IntentView;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.PheromoneView;
import dev.stigmergy.client.model.ReadyEntity;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A worker of the coordinated colony. It asks the service for ready work (not done, not locked by another
 * agent, every job it depends on done, not saturated; best first by importance), locks one with a short lease, declares an L3 intent on the files and line ranges its commit changes,
 * applies the commit onto the integration head ({@link ReplayRepository#apply}), marks the job done, completes
 * its intent and releases the lock. A heartbeat renews its leases meanwhile.
 *
 * <p>When {@code diesAfter} is set, it dies after that many jobs, in the middle of the next one: it stops
 * talking to the service for good while holding the lock and the intent, which lapse with their leases. It
 * works alone until then ({@link Colony#awaitDyingWorker}), so that its death is certain to happen.
 */
final class Worker implements Callable<Void> {

    private final Colony colony;
    private final Medium medium;
    private final int diesAfter;
    private final Random random;
    private final Set<String> saturated = new HashSet<>();
    private ScheduledFuture<?> heartbeat;
    private int completed;

    Worker(Colony colony, Medium medium, int diesAfter, long seed) {
        this.colony = colony;
        this.medium = medium;
        this.diesAfter = diesAfter;
        this.random = new Random(seed);
    }

    @Override
    public Void call() throws ApiException, IOException, InterruptedException {
        if (diesAfter == 0) {
            colony.awaitDyingWorker();
        }
        long beat = Math.max(200, colony.settings.lease().toMillis() / 3);
        heartbeat = colony.heartbeats.scheduleAtFixedRate(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        try {
            while (!colony.overdue()) {
                if (colony.done(medium).size() >= colony.jobs().size()) {
                    return null;
                }
                Job job = choose();
                if (job == null || !take(job)) {
                    colony.pause();
                } else if (diesAfter > 0 && completed == diesAfter + 1) {
                    return null; // died mid-job: nothing more from this worker
                }
            }
            return null;
        } finally {
            heartbeat.cancel(false);
            if (diesAfter > 0) {
                colony.dyingWorkerGone();
            }
        }
    }

    private void beat() {
        try {
            medium.agents().heartbeat();
        } catch (ApiException e) {
            // a missed beat is made good by the next one; leases are three beats long
        }
    }

    /** One of the two best ready jobs (the service's ready query), {@code null} if none is ready. */
    private Job choose() throws ApiException {
        List<ReadyEntity> ready = medium.ready().listReadyWork(colony.environment, null, List.of("job"), 2).getItems();
        // not always the very first: four workers asking at once would all race for the same lock
        return ready.isEmpty() ? null : colony.job(ready.get(random.nextInt(ready.size())).getEntity());
    }

    /** Works one job through; false when it was not this worker's to do after all (held, denied, done). */
    private boolean take(Job job) throws ApiException, IOException {
        Instant began = Instant.now();
        int lease = (int) Math.max(1, colony.settings.lease().toSeconds());
        try {
            medium.locks().acquireLock("job", job.key(), new AcquireLock().leaseSeconds(lease).reason("replay " + job.shortSha()));
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
        if (isDone(job)) { // done by another worker between our look and our lock
            release(job);
            return false;
        }
        if (saturated.add(job.entity())) {
            Colony.deposit(medium, job, Signals.SATURATION, 1.0, Map.of());
        }
        Colony.deposit(medium, job, Signals.WORKING, 1.0, Map.of());
        IntentView intent = declare(job, lease);
        if (intent == null) {
            release(job);
            return false;
        }
        if (diesAfter > 0 && completed == diesAfter) {
            completed++;
            heartbeat.cancel(false);
            colony.killed = new Colony.Killed(medium.agentId(), job.entity());
            colony.progress(String.format("KILL   %s dies in the middle of %s, holding its lock and intent %d; "
                    + "both lapse in %d s", medium.agentId(), job.entity(), intent.getId(), lease));
            return true;
        }
        ReplayRepository.Applied applied = colony.repo.apply(job);
        if (!applied.clean()) {
            colony.conflicts.incrementAndGet();
            colony.progress(String.format("CONFLICT %s on %s: %s", medium.agentId(), job.entity(), applied.conflicts()));
            ended(() -> medium.intents().cancelIntent(intent.getId()), job, "intent " + intent.getId());
            release(job);
            return false;
        }
        // done before the lock goes, so that nobody who locks it next does it again
        Colony.deposit(medium, job, Signals.DONE, 1.0,
                Map.of("commit", applied.commit().name(), "agent", medium.agentId()));
        ended(() -> medium.intents().completeIntent(intent.getId()), job, "intent " + intent.getId());
        release(job);
        completed++;
        colony.credit(medium.agentId(), job);
        colony.progress(String.format("done   %s %-28s by %s in %d ms → %s  %s", job.shortSha(), job.entity(),
                medium.agentId(), Duration.between(began, Instant.now()).toMillis(),
                ReplayRepository.describe(applied.commit()), job.subject()));
        return true;
    }

    private void release(Job job) throws ApiException {
        ended(() -> medium.locks().releaseLock("job", job.key()), job, "lock");
    }

    /**
     * Ends a hold; a hold whose lease lapsed meanwhile (a heartbeat came late on a loaded machine) is gone
     * already (404) or another agent's now (409), which costs nothing: the job is marked done first.
     */
    private void ended(Call call, Job job, String what) throws ApiException {
        try {
            call.run();
        } catch (ApiException e) {
            if (e.getCode() != 404 && e.getCode() != 409) {
                throw e;
            }
            colony.progress(String.format("lapsed %s: its %s on %s had lapsed before it let go (%d)", medium.agentId(), what,
                    job.entity(), e.getCode()));
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws ApiException;
    }

    private boolean isDone(Job job) throws ApiException {
        for (PheromoneView p : medium.pheromones().senseEntity("job", job.key()).getPheromones()) {
            if (Signals.DONE.equals(p.getType())) {
                return true;
            }
        }
        return false;
    }

    /** Declares the intent all or nothing; {@code null} when another agent's live intent holds those lines. */
    private IntentView declare(Job job, int lease) throws ApiException {
        List<DeclaredFile> files = new ArrayList<>();
        for (Job.FileChange change : job.files()) {
            DeclaredFile file = new DeclaredFile().path(change.path()).level(3);
            if (!change.ranges().isEmpty()) {
                file.lineRanges(change.ranges().stream().map(r -> new LineRange().start(r[0]).end(r[1])).toList());
            }
            files.add(file);
        }
        if (files.isEmpty()) {
            files.add(new DeclaredFile().path("**").level(1)); // an empty commit still says it is at work
        }
        try {
            return medium.intents().declareIntent(colony.environment, new DeclareIntent().entity(job.entity()).files(files)
                    .description("replay " + job.shortSha() + ": " + job.subject()).priority(5).leaseSeconds(lease)
                    .baseCommit(job.parent() == null ? null : job.parent().name()).mode(DeclareMode.ALL_OR_NOTHING)).getIntent();
        } catch (ApiException e) {
            if (e.getCode() == 409) {
                return null;
            }
            throw e;
        }
    }
}
