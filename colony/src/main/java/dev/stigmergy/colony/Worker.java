package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.EventStream;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker of the coordinated colony. It asks the service for ready work (not done, not locked by another
 * agent, every job it depends on done, not saturated; best first by importance) that the scout has published, locks
 * one with a short lease, spends the job's think time while it declares an L3 intent on the files and line ranges its
 * commit changes (a refused intent ends the job at once), applies the commit onto the integration head
 * ({@link ReplayRepository#apply}) and marks the job done;
 * completing the intent and releasing the lock follow in the background, since the done mark alone makes the jobs
 * after it ready. A heartbeat renews its leases meanwhile; an idle worker waits on the event stream.
 *
 * <p>Its coordination calls go through its {@link WorkerPort}, over REST or as MCP tool calls; only the wake-up
 * (the REST event stream, which has no MCP counterpart for a whole environment) is the medium's in both.
 *
 * <p>When {@code diesAfter} is set, it dies after that many jobs, in the middle of the next one: it stops
 * talking to the service for good while holding the lock and the intent, which lapse with their leases. It
 * works alone until then ({@link Colony#awaitDyingWorker}), so that its death is certain to happen.
 */
final class Worker implements Callable<Void> {

    private final Colony colony;
    private final Medium medium;
    private final WorkerPort port;
    private final int diesAfter;
    private final Random random;
    private ScheduledFuture<?> heartbeat;
    private EventStream changes;
    private final java.util.concurrent.ExecutorService lettingGo = java.util.concurrent.Executors.newSingleThreadExecutor();
    private final java.util.concurrent.ExecutorService declarer = java.util.concurrent.Executors.newSingleThreadExecutor();
    private int completed;

    Worker(Colony colony, Medium medium, WorkerPort port, int diesAfter, long seed) {
        this.colony = colony;
        this.medium = medium;
        this.port = port;
        this.diesAfter = diesAfter;
        this.random = new Random(seed);
    }

    @Override
    public Void call() throws ApiException, IOException, InterruptedException {
        if (diesAfter == 0) {
            Instant held = Instant.now();
            colony.awaitDyingWorker();
            colony.waited(Colony.Wait.DYING_WORKER, Duration.between(held, Instant.now()));
        }
        long beat = Math.max(200, colony.settings.lease().toMillis() / 3);
        heartbeat = colony.heartbeats.scheduleAtFixedRate(this::beat, beat, beat, TimeUnit.MILLISECONDS);
        changes = openChanges();
        try {
            while (!colony.overdue()) {
                Instant looked = Instant.now();
                List<Job> candidates = choose();
                colony.phase("ready query", looked);
                if (candidates.isEmpty()) {
                    // asked only when idle and every job is published: the ready query already leaves done jobs out
                    if (colony.scoutDone != null && colony.done(port).size() >= colony.jobCount()) {
                        return null;
                    }
                    Colony.Wait cause = colony.idleCause();
                    awaitChange();
                    colony.waited(cause, Duration.between(looked, Instant.now()));
                } else if (!takeOneOf(candidates)) {
                    awaitChange();
                    colony.waited(Colony.Wait.LOCKS, Duration.between(looked, Instant.now()));
                } else if (diesAfter > 0 && completed == diesAfter + 1) {
                    return null; // died mid-job: nothing more from this worker
                }
            }
            return null;
        } finally {
            declarer.shutdownNow();
            lettingGo.shutdown();
            lettingGo.awaitTermination(1, TimeUnit.MINUTES); // the run ends with nothing held
            if (changes != null) {
                changes.close();
            }
            heartbeat.cancel(false);
            port.close();
            if (diesAfter > 0) {
                colony.dyingWorkerGone();
            }
        }
    }

    /**
     * The medium's changes that can make a job ready: a lock let go or swept after its lapse, a pheromone deposited (a
     * job published, a job done), a dependency added (a fall-back). An idle worker waits on them instead of polling, so
     * it looks again as soon as something changed. Nothing else: a lock taken, a lease renewed or a verdict given
     * makes no job ready, and each event wakes every idle worker into a ready query on the same two cores.
     */
    private EventStream openChanges() {
        try {
            return medium.client().stream(WAKE_UP, colony.environment, null);
        } catch (ApiException e) {
            return null; // polling alone still works
        }
    }

    /** Waits until the medium changed, or one poll interval at most (a lapse is noticed by looking). */
    private void awaitChange() {
        if (changes == null) {
            colony.pause();
            return;
        }
        try {
            if (changes.poll(colony.settings.poll()) != null) {
                while (changes.poll(Duration.ZERO) != null) {
                    // one look for a burst of changes
                }
            }
        } catch (EventStream.StreamEndedException ended) {
            changes = openChanges();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The event types an idle worker wakes up on ({@link #openChanges}). */
    static final List<String> WAKE_UP = List.of("lock.released", "lock.expired", "pheromone.deposited", "dependency.added");

    private void beat() {
        try {
            port.heartbeat();
        } catch (ApiException | IOException e) {
            // a missed beat is made good by the next one; leases are three beats long
        }
    }

    /**
     * The best ready jobs (the service's ready query, four at most) that the scout has published (its importance is
     * the mark), best first but for the first two, in this worker's random order; empty if none is ready.
     */
    private List<Job> choose() throws ApiException, IOException {
        List<Job> published = new ArrayList<>();
        for (WorkerPort.Ready entity : port.ready(colony.environment, "job", 4)) {
            Job job = colony.job(entity.entity());
            if (job != null && entity.importance() > 0) {
                published.add(job);
            }
        }
        // not always the very first: workers woken at once by the same change would all race for the same lock
        if (published.size() > 1 && random.nextBoolean()) {
            published.add(0, published.remove(1));
        }
        return published;
    }

    /**
     * Works the first of the candidates it can take through; false when none was this worker's after all. A lock
     * lost to another worker woken by the same change costs one refused call, not a wait for the next change.
     */
    private boolean takeOneOf(List<Job> candidates) throws ApiException, IOException {
        for (Job job : candidates) {
            if (take(job)) {
                return true;
            }
        }
        return false;
    }

    /** Works one job through; false when it was not this worker's to do after all (held, denied, done). */
    boolean take(Job job) throws ApiException, IOException {
        Instant began = Instant.now();
        int lease = (int) Math.max(1, colony.settings.lease().toSeconds());
        if (!port.acquireLock(job.entity(), lease, "replay " + job.shortSha())) {
            return false;
        }
        Instant t = colony.phase("acquire", began);
        if (diesAfter > 0 && completed == diesAfter) {
            colony.dyingWorkerGone(); // its death is certain with the lock: the others need not wait for its intent too
            Long intent = declare(job, lease);
            colony.phase("declare", t);
            if (intent == null) {
                release(job);
                return false;
            }
            completed++;
            heartbeat.cancel(false);
            colony.killed = new Colony.Killed(medium.agentId(), job.entity());
            colony.progress(String.format("KILL   %s dies in the middle of %s, holding its lock and intent %d; "
                    + "both lapse in %d s", medium.agentId(), job.entity(), intent, lease));
            return true;
        }
        // the edit itself starts with the lock, its intent declared meanwhile (the lock already makes the job this
        // worker's; the intent tells the others which lines it touches); nothing is integrated before it is granted, and
        // a refusal ends the edit as soon as it is known
        Long intent = thinkDeclaring(job, lease, t);
        t = colony.phase("think", t);
        if (intent == null) {
            release(job);
            return false;
        }
        ReplayRepository.Applied applied = colony.repo.apply(job);
        t = colony.phase("integrate", t);
        // done by another worker between our look at the ready query and our lock? Asked only when the head holds
        // the change already, instead of before every job: the integration branch is the cheaper witness
        if (applied.present() && isDone(job)) {
            ended(() -> port.endIntent(intent, false), job, "intent " + intent);
            release(job);
            return false;
        }
        if (!applied.clean() && isDone(job)) {
            // another worker took it while our lease had lapsed (a late heartbeat on a loaded machine) and integrated
            // it first; applying it again conflicted where history moved on around it: nothing is wrong
            colony.progress(String.format("twice  %s on %s: done by another worker meanwhile; this one lets go",
                    medium.agentId(), job.entity()));
            ended(() -> port.endIntent(intent, false), job, "intent " + intent);
            release(job);
            return false;
        }
        if (!applied.clean()) {
            boolean fallBack = colony.fellBack.add(job.index()) && fallBack(job);
            if (fallBack) {
                colony.fallbacks.incrementAndGet();
                colony.progress(String.format("WAIT   %s on %s: its hunks ran ahead and git's merge conflicted on %s; "
                        + "it now waits for the file-level order", medium.agentId(), job.entity(), applied.conflicts()));
            } else {
                colony.conflicts.incrementAndGet();
                colony.progress(String.format("CONFLICT %s on %s: %s", medium.agentId(), job.entity(), applied.conflicts()));
            }
            ended(() -> port.endIntent(intent, false), job, "intent " + intent);
            release(job);
            return false;
        }
        // done before the lock goes, so that nobody who locks it next does it again
        port.deposit(job.entity(), Signals.DONE, 1.0, Map.of("commit", applied.commit().name(), "agent", medium.agentId()));
        colony.phase("mark done", t);
        // the done mark is what makes the jobs after it ready; letting go of intent and lock follows off the job's
        // critical path, in this worker's order, while it looks for its next job
        lettingGo.submit(() -> {
            try {
                Instant from = Instant.now();
                ended(() -> port.endIntent(intent, true), job, "intent " + intent);
                release(job);
                colony.phase("let go (intent, lock)", from);
            } catch (ApiException | IOException e) {
                colony.progress(String.format("ERROR  %s could not let go of %s: %s", medium.agentId(), job.entity(), e.getMessage()));
            }
        });
        completed++;
        colony.credit(medium.agentId(), job);
        colony.progress(String.format("done   %s %-28s by %s in %d ms → %s  %s", job.shortSha(), job.entity(),
                medium.agentId(), Duration.between(began, Instant.now()).toMillis(),
                ReplayRepository.describe(applied.commit()), job.subject()));
        return true;
    }

    /**
     * Links the job to the earlier jobs file level orders it after, which hunk level let it run ahead of: the ready
     * query then holds it back until they are done. False when there are none (the conflict is not one of order).
     */
    private boolean fallBack(Job job) throws ApiException, IOException {
        Set<Integer> fileLevel = colony.fileLevel.getOrDefault(job.index(), Set.of());
        Set<Integer> linked = colony.waitsFor.getOrDefault(job.index(), Set.of());
        if (linked.containsAll(fileLevel)) {
            return false;
        }
        for (int earlier : fileLevel) {
            if (!linked.contains(earlier)) {
                port.dependOn(job.entity(), colony.job(earlier).entity());
            }
        }
        return true;
    }

    private void release(Job job) throws ApiException, IOException {
        ended(() -> port.releaseLock(job.entity()), job, "lock");
    }

    /**
     * Ends a hold; a hold whose lease lapsed meanwhile (a heartbeat came late on a loaded machine) is gone
     * already (404) or another agent's now (409), which costs nothing: the job is marked done first.
     */
    private void ended(Call call, Job job, String what) throws ApiException, IOException {
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
        void run() throws ApiException, IOException;
    }

    private boolean isDone(Job job) throws ApiException, IOException {
        for (WorkerPort.Mark p : port.sense(job.entity())) {
            if (Signals.DONE.equals(p.type())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Spends the job's think time from {@code from} while its intent is declared; the intent's id once both are over,
     * {@code null} at once when the declaration was refused.
     */
    private Long thinkDeclaring(Job job, int lease, Instant from) throws ApiException, IOException {
        Future<Long> declaring = declarer.submit(() -> {
            Long id = declare(job, lease);
            colony.phase("declare", from);
            return id;
        });
        Instant end = from.plus(colony.settings.think(job));
        try {
            Long intent = declaring.get(Math.max(0, Duration.between(Instant.now(), end).toMillis()), TimeUnit.MILLISECONDS);
            if (intent == null) {
                return null;
            }
            colony.sleepUntil(end);
            return intent;
        } catch (TimeoutException slower) {
            return declared(declaring);
        } catch (ExecutionException e) {
            throw rethrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while declaring", e);
        }
    }

    private static Long declared(Future<Long> declaring) throws ApiException, IOException {
        try {
            return declaring.get();
        } catch (ExecutionException e) {
            throw rethrown(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while declaring", e);
        }
    }

    private static IOException rethrown(ExecutionException e) throws ApiException {
        if (e.getCause() instanceof ApiException api) {
            throw api;
        }
        return e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }

    /** Declares the intent all or nothing; its id, {@code null} when another agent's live intent holds those lines. */
    private Long declare(Job job, int lease) throws ApiException, IOException {
        List<WorkerPort.Declared> files = new ArrayList<>();
        for (Job.FileChange change : job.files()) {
            files.add(new WorkerPort.Declared(change.path(), 3, change.ranges()));
        }
        if (files.isEmpty()) {
            files.add(new WorkerPort.Declared("**", 1, List.of())); // an empty commit still says it is at work
        }
        return port.declareIntent(colony.environment, job.entity(), files, "replay " + job.shortSha() + ": " + job.subject(),
                5, lease, job.parent() == null ? null : job.parent().name());
    }
}
