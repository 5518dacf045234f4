package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.Deposit;
import dev.stigmergy.client.model.TypeAggregate;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

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
    private final Map<String, Job> byEntity;
    final Map<String, AtomicInteger> jobsByAgent = new ConcurrentHashMap<>();
    final Map<String, String> doneBy = new ConcurrentHashMap<>();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger approved = new AtomicInteger();
    final AtomicInteger rejected = new AtomicInteger();
    volatile Killed killed;
    /** Open once the worker that is to die has died or ended; the other workers start then. */
    private final CountDownLatch dyingWorkerGone = new CountDownLatch(1);

    Colony(ReplayRepository repo, String environment, Settings settings, ScheduledExecutorService heartbeats, PrintStream out) {
        this.repo = repo;
        this.environment = environment;
        this.settings = settings;
        this.heartbeats = heartbeats;
        this.out = out;
        this.started = Instant.now();
        this.deadline = started.plus(settings.timeout());
        this.byEntity = repo.jobs().stream().collect(Collectors.toMap(Job::entity, j -> j));
    }

    /**
     * Settings of one run.
     *
     * @param lease           lease of locks and intents; heartbeats renew it every third of it
     * @param poll            pause between two looks at the medium when nothing is to be done
     * @param timeout         the run gives up after this
     * @param killWorkerAfter worker 1 dies mid-job after this many jobs, the others start once it has; 0 = nobody dies
     * @param seed            seed of each worker's own order of jobs
     */
    record Settings(Duration lease, Duration poll, Duration timeout, int killWorkerAfter, long seed) {
    }

    /** The worker that was killed and the job it left locked. */
    record Killed(String agent, String entity) {
    }

    List<Job> jobs() {
        return repo.jobs();
    }

    Job job(String entity) {
        return byEntity.get(entity);
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

    /** Strength per entity of this run for one signal type (sum of current intensities, > 0 only). */
    Map<String, Double> sense(Medium medium, String type) throws ApiException {
        Map<String, Double> byEntity = new HashMap<>();
        List<TypeAggregate> aggregates = medium.pheromones().rankEntities(type, environment, null, "job", 1000, null).getAggregates();
        for (TypeAggregate a : aggregates) {
            if (a.getTotalIntensity() != null && a.getTotalIntensity() > 0) {
                byEntity.put(a.getEntity(), a.getTotalIntensity());
            }
        }
        return byEntity;
    }

    /** The entities of this run marked done. */
    Set<String> done(Medium medium) throws ApiException {
        return sense(medium, Signals.DONE).keySet();
    }

    static void deposit(Medium medium, Job job, String type, double intensity, Object payload) throws ApiException {
        medium.pheromones().depositPheromone("job", job.key(), new Deposit().type(type).intensity(intensity).payload(payload));
    }

    /** Called by the worker that is to die, once it has died mid-job or ended without dying. */
    void dyingWorkerGone() {
        dyingWorkerGone.countDown();
    }

    /**
     * Holds a worker back until the worker that is to die has died (at once when nobody is to die). Racing
     * it from the start, the others could leave it fewer jobs than it must finish before dying, and the run
     * would show no death at all.
     */
    void awaitDyingWorker() throws InterruptedException {
        if (settings.killWorkerAfter() > 0) {
            dyingWorkerGone.await(Duration.between(Instant.now(), deadline).toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    void pause() {
        try {
            Thread.sleep(settings.poll().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
