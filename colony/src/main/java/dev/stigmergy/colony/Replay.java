package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.DecayPolicy;
import dev.stigmergy.client.model.ExpiryDecay;
import dev.stigmergy.client.model.RegisterSignalType;
import org.eclipse.jgit.api.errors.GitAPIException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One replay: prepares the scratch clone, registers the run's environment, entities and agents on the
 * service, runs the agents concurrently and sums up. Names carry the run's timestamp, so runs never collide.
 */
final class Replay {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

    /**
     * @param service      the service's base URL
     * @param adminToken   bearer token of the admin agent (registers agents and the done signal type)
     * @param source       the repository to replay (any directory inside it)
     * @param scratchRoot  the scratch clone goes to {@code <scratchRoot>/<environment>}
     * @param commits      how many first-parent commits, fewer if the history is shorter
     * @param workers      how many workers
     * @param coordinated  false for the baseline
     * @param via          the door the workers and the validator coordinate through (the scout uses REST)
     */
    record Plan(URI service, String adminToken, Path source, Path scratchRoot, int commits, int workers,
                boolean coordinated, Colony.Settings settings, WorkerPort.Via via) {
    }

    /**
     * A run's names, fixed before anything is made, so that the service can register the run while git prepares it.
     *
     * @param run         the run's timestamp, lower case (the suffix of its names)
     * @param environment the run's environment, {@code replay-<run>}
     * @param scratch     where its scratch clone goes (absolute: the service opens it from its own working directory)
     */
    record Names(String run, String environment, Path scratch) {

        static Names under(Path scratchRoot) {
            String run = STAMP.format(Instant.now()).toLowerCase();
            return new Names(run, "replay-" + run, scratchRoot.resolve("replay-" + run).toAbsolutePath().normalize());
        }
    }

    /**
     * What a replay prepares without the service: its scratch clone and, on a thread of its own, the scout's tree
     * diffs (a coordinated run) and the warm-up of the integration's merge code. The command prepares while the
     * service starts and while it registers the run, so that none of it lies before the first published job.
     *
     * @param repo    the scratch clone opened
     * @param scanned completed when the tree diffs are read and JGit is warmed up
     */
    record Prepared(ReplayRepository repo, CompletableFuture<Instant> scanned) implements AutoCloseable {

        @Override
        public void close() {
            repo.close();
        }
    }

    /** Prepares a replay of the last {@code commits} first-parent commits of {@code source} in {@code names.scratch()}. */
    static Prepared prepare(Path source, Names names, int commits, boolean coordinated) throws IOException, GitAPIException {
        ReplayRepository repo = ReplayRepository.prepare(source, names.scratch(), commits, names.run().replace("-", ""));
        CompletableFuture<Instant> scanned = new CompletableFuture<>();
        Thread scanning = new Thread(() -> {
            try {
                if (coordinated) {
                    repo.scan();
                }
                // the first integration on a cold JVM loads and compiles JGit's merge path: done here, off the
                // critical path of the first job
                repo.warmUp();
            } catch (IOException | RuntimeException e) {
                // the scout's own scan() call reports a failed scan; a failed warm-up only leaves the JVM cold
            }
            scanned.complete(Instant.now());
        }, "scan");
        scanning.setDaemon(true);
        scanning.start();
        return new Prepared(repo, scanned);
    }

    /**
     * What the summary's start-up times count from.
     *
     * @param process      the colony process's start (its JVM start-up included), or {@code null} when a test runs the
     *                     replay inside a longer-lived JVM
     * @param serviceReady when the service answered ready: at once when it was already running, after its whole
     *                     start (embedded PostgreSQL included) when the command started it
     */
    record Clock(Instant process, Instant serviceReady) {
    }

    /** Prepares and runs a replay (the service already answering; the clock starts now). */
    static ReplaySummary run(Plan plan, PrintStream out) throws IOException, GitAPIException, ApiException, InterruptedException {
        Names names = Names.under(plan.scratchRoot());
        Instant now = Instant.now();
        try (Prepared prepared = prepare(plan.source(), names, plan.commits(), plan.coordinated())) {
            return run(plan, names, CompletableFuture.completedFuture(prepared), new Clock(null, now), out);
        }
    }

    /**
     * Runs a replay being prepared (the caller closes it); the progress lines count from {@code clock.serviceReady()}.
     *
     * @throws IOException     preparing it (or reading the scratch clone) failed
     * @throws GitAPIException  preparing it failed in git
     */
    static ReplaySummary run(Plan plan, Names names, CompletableFuture<Prepared> preparing, Clock clock, PrintStream out)
            throws IOException, GitAPIException, ApiException, InterruptedException {
        Instant runStarted = clock.serviceReady();
        String run = names.run();
        String environment = names.environment();
        Path scratch = names.scratch();
        Medium admin = Medium.of(plan.service(), "admin", plan.adminToken(), "admin");
        // the service registers the run (environment, done type, scout) on threads of their own: none needs another,
        // and the common pool has one on 2 cores
        ExecutorService setUp = Executors.newFixedThreadPool(3);
        CompletableFuture<Void> environmentCreated = CompletableFuture.runAsync(() -> {
            try {
                admin.environments().createEnvironment(new CreateEnvironment().name(environment).repository(scratch.toString())
                        .description("replay of " + plan.source().toAbsolutePath().normalize()));
            } catch (ApiException e) {
                throw new CompletionException(e);
            }
        }, setUp);
        CompletableFuture<Medium> registering = environmentCreated.thenCombine(CompletableFuture.supplyAsync(() -> {
            try {
                return plan.coordinated() ? admin.register("scout-" + run, "Scout", List.of("scout"), "scout") : null;
            } catch (ApiException e) {
                throw new CompletionException(e);
            }
        }, setUp), (created, scout) -> scout);
        // the workers' done marks need their type, the first publication does not: the workers await it
        CompletableFuture<Void> doneType = CompletableFuture.runAsync(() -> {
            try {
                registerDoneType(admin);
            } catch (ApiException e) {
                throw new CompletionException(e);
            }
        }, setUp);
        setUp.shutdown(); // its threads end with the three calls
        Prepared prepared = prepared(preparing);
        ReplayRepository repo = prepared.repo();
        out.printf("[%.1f s] replaying %d commits of %s (tip %s) in %s, %s, %d workers%n",
                Duration.between(runStarted, Instant.now()).toMillis() / 1000.0, repo.size(),
                plan.source().toAbsolutePath().normalize(), ReplayRepository.describe(repo.tip()), scratch,
                plan.coordinated() ? "coordinated via " + plan.via().name() : "UNCOORDINATED baseline", plan.workers());
        Medium scoutAgent = registered(registering);
        out.printf("[%.1f s] environment %s, entities job/<short-sha>.%s%n", Duration.between(runStarted, Instant.now()).toMillis() / 1000.0,
                environment, run.replace("-", ""));

        // one beating thread per worker: a beat slowed down by a loaded service must not delay the others
        ScheduledExecutorService heartbeats = Executors.newScheduledThreadPool(plan.workers());
        ExecutorService agents = Executors.newCachedThreadPool();
        try {
            Colony colony = new Colony(repo, environment, plan.settings(), heartbeats, out);
            Instant started = Instant.now();
            if (plan.coordinated()) {
                coordinated(plan, admin, run, colony, agents, scoutAgent, doneType);
            } else {
                registered(doneType);
                uncoordinated(plan, admin, run, colony, agents);
            }
            Duration wall = Duration.between(started, Instant.now());
            Map<String, Integer> perAgent = new HashMap<>();
            colony.jobsByAgent.forEach((agent, n) -> perAgent.put(agent, n.get()));
            ScheduleBounds bounds = null;
            ReplaySummary.ScoutReport scout = null;
            if (plan.coordinated()) {
                ScheduleBounds.Death death = colony.killed == null ? null
                        : new ScheduleBounds.Death(plan.settings().killWorkerAfter(), plan.settings().lease(),
                        colony.job(colony.killed.entity()) == null ? -1 : colony.job(colony.killed.entity()).index());
                List<Duration> think = ScheduleBounds.thinkTimes(colony.published(), plan.settings());
                bounds = ScheduleBounds.of(think, colony.waitsFor, plan.workers(), death);
                ScheduleBounds fileLevel = ScheduleBounds.of(think, colony.fileLevel, plan.workers(), death);
                scout = new ReplaySummary.ScoutReport(since(runStarted, colony.firstPublished),
                        since(runStarted, colony.scoutDone), colony.links, colony.fileLinks,
                        fileLevel.criticalPath(), colony.fallbacks.get(), dag(colony.waitsFor),
                        clock.process() == null ? null : new ReplaySummary.StartUp(since(clock.process(), colony.firstPublished),
                                Duration.between(clock.process(), runStarted), since(clock.process(), prepared.scanned().getNow(null))));
            }
            return new ReplaySummary(plan.coordinated() ? "coordinated" : "uncoordinated", environment, scratch.toString(),
                    repo.size(), colony.doneBy.size(), perAgent, Map.copyOf(colony.doneBy), colony.conflicts.get(),
                    plan.settings().killWorkerAfter(), colony.killed, colony.approved.get(), colony.rejected.get(), wall,
                    repo.identicalToTip(), ReplayRepository.describe(repo.tip()), ReplayRepository.describe(repo.head()),
                    plan.workers(), plan.settings().think(), bounds, colony.waits(), scout, repo.casRetries.get(), colony.phases(), colony.mcpToolCalls.sum());
        } finally {
            agents.shutdownNow();
            heartbeats.shutdownNow();
        }
    }

    private static void coordinated(Plan plan, Medium admin, String run, Colony colony, ExecutorService agents, Medium scoutAgent,
                                    CompletableFuture<Void> doneType) throws ApiException, InterruptedException, IOException {
        // the scout first, at once: every other registration would delay the first ready job
        Scout scout = new Scout(colony, scoutAgent);
        CompletionService<Void> finishing = new ExecutorCompletionService<>(agents);
        Future<Void> scouting = finishing.submit(scout);
        registered(doneType);
        // each worker starts as soon as it is registered, worker 1 (the one that works alone first) before anyone else;
        // the others after the first publication, which their registrations would slow down on a just started service
        // (nothing is ready before it; and when worker 1 is to die, the others start only once it holds that job)
        for (int i = 1; i <= plan.workers(); i++) {
            if (i == 2) {
                colony.awaitFirstPublication(scouting);
            }
            Medium medium = admin.register("worker-" + i + "-" + run, "Worker " + i, List.of("worker"), "worker");
            int diesAfter = i == 1 ? plan.settings().killWorkerAfter() : 0;
            finishing.submit(new Worker(colony, medium, medium.port(plan.via(), colony.mcpToolCalls), diesAfter, plan.settings().seed() + i));
        }
        Medium validatorAgent = admin.register("validator-" + run, "Validator", List.of("validator"), "validator");
        WorkerPort validatorPort = validatorAgent.port(plan.via(), colony.mcpToolCalls);
        Validator validator = new Validator(colony, validatorAgent, validatorPort);
        Future<Void> validating = finishing.submit(validator);
        // the workers end the run; any agent failing ends it at once rather than at the timeout
        for (int working = plan.workers(); working > 0; ) {
            Future<Void> finished = finishing.take();
            await(List.of(finished));
            if (finished != validating && finished != scouting) {
                working--;
            }
        }
        validator.workersStopped();
        try {
            await(List.of(validating));
        } finally {
            validatorPort.close();
        }
    }

    private static void uncoordinated(Plan plan, Medium admin, String run, Colony colony, ExecutorService agents)
            throws ApiException, InterruptedException, IOException {
        List<Future<Void>> working = new ArrayList<>();
        for (int i = 1; i <= plan.workers(); i++) {
            String agent = admin.register("worker-" + i + "-" + run, "Worker " + i + " (uncoordinated)", List.of("worker"), "worker").agentId();
            List<Job> share = new ArrayList<>();
            for (Job job : colony.repo.jobs()) {
                colony.deal(job);
                if (job.index() % plan.workers() == i - 1) {
                    share.add(job);
                }
            }
            working.add(agents.submit(new UncoordinatedWorker(colony, agent, share, plan.settings().seed() + i)));
        }
        await(working);
    }

    private static Map<Integer, java.util.Set<Integer>> dag(Map<Integer, java.util.Set<Integer>> waitsFor) {
        Map<Integer, java.util.Set<Integer>> dag = new java.util.TreeMap<>();
        waitsFor.forEach((job, deps) -> {
            if (!deps.isEmpty()) {
                dag.put(job, deps);
            }
        });
        return dag;
    }

    private static Prepared prepared(CompletableFuture<Prepared> preparing) throws IOException, GitAPIException, InterruptedException {
        try {
            return preparing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof GitAPIException git) {
                throw git;
            }
            throw new IllegalStateException("preparing the replay failed: " + e.getCause(), e.getCause());
        }
    }

    private static <T> T registered(CompletableFuture<T> registering) throws ApiException, InterruptedException {
        try {
            return registering.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof ApiException api) {
                throw api;
            }
            throw new IllegalStateException("registering the run failed: " + cause, cause);
        }
    }

    private static Duration since(Instant start, Instant end) {
        return end == null ? Duration.ZERO : Duration.between(start, end);
    }

    private static void await(List<Future<Void>> futures) throws InterruptedException {
        for (Future<Void> future : futures) {
            try {
                future.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("an agent failed: " + e.getCause(), e.getCause());
            }
        }
    }

    // the done mark lives a day, like the readiness pair; an earlier run registered it already when 409
    private static void registerDoneType(Medium admin) throws ApiException {
        // roles spelled out: the generated model sends empty lists otherwise, which would allow nobody
        RegisterSignalType type = new RegisterSignalType().name(Signals.DONE).displayName("Replayed")
                .description("A replay colony's job is integrated; payload commit and agent. Validators reinforce it.")
                .decay(new DecayPolicy(new ExpiryDecay().kind(ExpiryDecay.KindEnum.EXPIRY).ttlSeconds(86400L)))
                .writeRoles(List.of("worker", "admin")).reinforceRoles(List.of("validator", "admin"));
        try {
            admin.pheromones().registerSignalType(type);
        } catch (ApiException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            admin.pheromones().replaceSignalType(Signals.DONE, type);
        }
    }
}
