package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.Deposit;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agents of one run share locally: the scratch clone (each works on its own git objects in it),
 * the run's settings, the progress printer and the tallies of the summary. Coordination itself goes only
 * through the service.
 */
final class Colony {

    final ReplayRepository repo;
    final String environment;
    final Settings settings;
    final ScheduledExecutorService heartbeats;
    final Instant started;
    final Instant deadline;
    private final PrintStream out;
    private final Map<String, Job> byEntity = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> jobsByAgent = new ConcurrentHashMap<>();
    final Map<String, String> doneBy = new ConcurrentHashMap<>();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger approved = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    volatile Killed killed;
    /** Worker time spent not working, by cause, summed over the workers (milliseconds). */
    private final Map<Wait, LongAdder> waited = new EnumMap<>(Wait.class);
    /** The scout's dependency DAG (index → earlier indexes), for the summary's bounds; filled as it publishes. */
    final Map<Integer, Set<Integer>> waitsFor = new ConcurrentHashMap<>();
    /** The file-level DAG, the hunk-level one's fallback (index → earlier indexes). */
    final Map<Integer, Set<Integer>> fileLevel = new ConcurrentHashMap<>();
    /** depends-on links the scout recorded, and how many file level would have needed. */
    volatile int links;
    volatile int fileLinks;
    /** Tool calls made on {@code /mcp} by the agents of a run {@code --via mcp}. */
    final LongAdder mcpToolCalls = new LongAdder();
    /** Jobs that met a merge conflict running ahead at hunk level and fell back to waiting for file-level order. */
    final AtomicInteger fallbacks = new AtomicInteger();
    /** Jobs that fell back once: a second conflict is a real one. */
    final Set<Integer> fellBack = ConcurrentHashMap.newKeySet();
    /** When the scout had published every job, or {@code null} while it works. */
    volatile Instant scoutDone;
    /** When the first job was published (ready for a worker), or {@code null}. */
    volatile Instant firstPublished;
    /** Open once the worker that is to die holds the job it dies in, or ended; the other workers start then. */
    private final CountDownLatch dyingWorkerGone = new CountDownLatch(1);

    Colony(ReplayRepository repo, String environment, Settings settings, ScheduledExecutorService heartbeats, PrintStream out) {
        this.repo = repo;
        this.environment = environment;
        this.settings = settings;
        this.heartbeats = heartbeats;
        this.out = out;
        this.started = Instant.now();
        for (Wait why : Wait.values()) {
            waited.put(why, new LongAdder());
        }
        this.deadline = started.plus(settings.timeout());
    }

    /**
     * Settings of one run.
     *
     * @param lease           lease of locks and intents; heartbeats renew it every third of it
     * @param poll            pause between two looks at the medium when nothing is to be done
     * @param timeout         the run gives up after this
     * @param killWorkerAfter worker 1 dies mid-job after this many jobs, the others start once it has; 0 = nobody dies
     * @param seed            seed of each worker's own order of jobs and of the think times
     * @param think           mean simulated edit time per job, spent holding the lock and intent; zero = none
     * @param hunkLevel       the scout orders jobs by colliding hunks (true) or by shared files
     */
    record Settings(Duration lease, Duration poll, Duration timeout, int killWorkerAfter, long seed, Duration think,
                    boolean hunkLevel) {

        /**
         * The simulated edit time of one job: uniform between half and one and a half times the mean, drawn from
         * the seed and the job's position alone, so that every run with this seed (and the summary's bounds)
         * sees the same times whichever worker takes the job.
         */
        Duration think(Job job) {
            if (think.isZero()) {
                return Duration.ZERO;
            }
            double factor = 0.5 + new java.util.SplittableRandom(seed * 1_000_003L + job.index()).nextDouble();
            return Duration.ofMillis(Math.round(think.toMillis() * factor));
        }
    }

    /**
     * Why a worker was not working: a lock or intent another worker held ({@code LOCKS}), the killed worker's lapsing
     * lease on a job nothing else could replace ({@code LAPSED_LEASE}), jobs the scout had not published yet
     * ({@code SCOUT}), held back until the worker that is to die held its last job ({@code DYING_WORKER}), or nothing ready
     * because every job left waits for running ones ({@code DEPENDENCIES}: the only wait the bounds have too).
     */
    enum Wait { LOCKS, LAPSED_LEASE, SCOUT, DYING_WORKER, DEPENDENCIES }

    /** Where a worker's time went, per step of a job: calls and milliseconds (for the summary's per-job costs). */
    private final Map<String, LongAdder[]> phases = new ConcurrentHashMap<>();

    /** Adds the time since {@code from} to {@code step}; answers now, the next step's start. */
    Instant phase(String step, Instant from) {
        Instant now = Instant.now();
        LongAdder[] tally = phases.computeIfAbsent(step, s -> new LongAdder[] {new LongAdder(), new LongAdder()});
        tally[0].increment();
        tally[1].add(Duration.between(from, now).toMillis());
        return now;
    }

    /** Mean milliseconds per step, in the order steps were first met, with counts: {@code step → [count, mean ms]}. */
    Map<String, long[]> phases() {
        Map<String, long[]> means = new java.util.TreeMap<>();
        phases.forEach((step, t) -> means.put(step, new long[] {t[0].sum(), t[1].sum() / Math.max(1, t[0].sum())}));
        return means;
    }

    void waited(Wait why, Duration duration) {
        waited.get(why).add(duration.toMillis());
    }

    /** Time waited per cause, summed over the workers. */
    Map<Wait, Duration> waits() {
        Map<Wait, Duration> waits = new EnumMap<>(Wait.class);
        waited.forEach((why, millis) -> waits.put(why, Duration.ofMillis(millis.sum())));
        return waits;
    }

    /** Why a worker that found nothing ready is idle (see {@link Wait}). */
    Wait idleCause() {
        Killed dead = killed;
        if (dead != null && !doneBy.containsKey(dead.entity())) {
            return Wait.LAPSED_LEASE;
        }
        return scoutDone == null ? Wait.SCOUT : Wait.DEPENDENCIES;
    }

    /** The worker that was killed and the job it left locked. */
    record Killed(String agent, String entity) {
    }

    /** How many jobs the replay has, published or not. */
    int jobCount() {
        return repo.size();
    }

    /** A job the scout has published (or, in the baseline, dealt), {@code null} for one not published yet. */
    Job job(String entity) {
        return byEntity.get(entity);
    }

    /**
     * Makes a job known to this run's agents, before its publication on the service makes it ready.
     *
     * @param waitsFor  the earlier jobs (indexes) it was linked to
     * @param fileLevel the earlier jobs it would follow at file level: what a worker falls back to on a conflict
     */
    void publish(Job job, Set<Integer> waitsFor, Set<Integer> fileLevel) {
        this.waitsFor.put(job.index(), Set.copyOf(waitsFor));
        this.fileLevel.put(job.index(), Set.copyOf(fileLevel));
        byEntity.put(job.entity(), job);
    }

    /** A job the baseline deals without a scout. */
    void deal(Job job) {
        byEntity.put(job.entity(), job);
    }

    /** The published job at {@code index}, or {@code null}. */
    Job job(int index) {
        for (Job job : byEntity.values()) {
            if (job.index() == index) {
                return job;
            }
        }
        return null;
    }

    /** The scout has published {@code job} on the service (its importance is deposited). */
    void published(Job job) {
        if (firstPublished == null) {
            firstPublished = Instant.now();
        }
        firstPublication.countDown();
    }

    /** Open once the first job is published. */
    private final CountDownLatch firstPublication = new CountDownLatch(1);

    /** Waits until the first job is published, {@code scouting} has ended (failed: it reports why) or the deadline. */
    void awaitFirstPublication(java.util.concurrent.Future<?> scouting) throws InterruptedException {
        while (!firstPublication.await(20, TimeUnit.MILLISECONDS) && !scouting.isDone() && !overdue()) {
            // the scout reports its own failure; this only stops waiting for it
        }
    }

    void scoutLinks(int links, int fileLinks) {
        this.links = links;
        this.fileLinks = fileLinks;
    }

    /** The published jobs, oldest first. */
    List<Job> published() {
        return byEntity.values().stream().sorted(java.util.Comparator.comparingInt(Job::index)).toList();
    }

    boolean overdue() {
        return Instant.now().isAfter(deadline);
    }

    synchronized void progress(String line) {
        out.printf("[%6.1f s] %s%n", Duration.between(started, Instant.now()).toMillis() / 1000.0, line);
        out.flush();
    }

    void credit(String agent, Job job) {
        jobsByAgent.computeIfAbsent(agent, a -> new AtomicInteger()).incrementAndGet();
        doneBy.put(job.entity(), agent);
    }

    /** The entities of this run marked done. */
    Set<String> done(WorkerPort port) throws ApiException, java.io.IOException {
        return port.ranked(Signals.DONE, environment, "job", 1000).keySet();
    }

    static void deposit(Medium medium, Job job, String type, double intensity, Object payload) throws ApiException {
        medium.pheromones().depositPheromone("job", job.key(), new Deposit().type(type).intensity(intensity).payload(payload));
    }

    /**
     * Called by the worker that is to die, once it holds the lock of the job it dies in (its death is certain then) or
     * ended without dying; again at its end, which changes nothing.
     */
    void dyingWorkerGone() {
        dyingWorkerGone.countDown();
    }

    /**
     * Holds a worker back until the worker that is to die holds the job it dies in (at once when nobody is to die). Racing
     * it from the start, the others could leave it fewer jobs than it must finish before dying, and the run
     * would show no death at all.
     */
    void awaitDyingWorker() throws InterruptedException {
        if (settings.killWorkerAfter() > 0) {
            dyingWorkerGone.await(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void pause() {
        sleep(settings.poll());
    }

    /** Spends the job's simulated edit time (the caller's heartbeat keeps its leases meanwhile). */
    void think(Job job) {
        sleep(settings.think(job));
    }

    /** Sleeps until {@code end} (at once when it has passed). */
    void sleepUntil(Instant end) {
        sleep(Duration.between(Instant.now(), end));
    }

    private static void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
