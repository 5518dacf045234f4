package dev.stigmergy.colony;

import dev.stigmergy.client.model.RegisterAgent;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * {@code java -jar stigmergy-colony.jar}: replays the last commits of a git repository as jobs of a colony of
 * agents that coordinate only through Stigmergy (issue 7), prints a progress line per job and a summary, and
 * leaves the service running. Exit code 0 when a coordinated replay reached the tip's tree with no conflict
 * (a baseline run always exits 0), 1 otherwise, 2 on bad options.
 */
@Command(name = "stigmergy-colony", mixinStandardHelpOptions = true, version = "stigmergy-colony 0.1.0",
        description = "Replays the last N first-parent commits of a git repository with a colony of agents "
                + "(scout, workers, validator) coordinating through the Stigmergy service.")
public final class ColonyCommand implements Callable<Integer> {

    @Option(names = "--url", defaultValue = "http://localhost:8080", description = "service URL (default: ${DEFAULT-VALUE}); started from --service-jar when nothing answers")
    URI url;

    @Option(names = "--service-jar", defaultValue = "target/quarkus-app/quarkus-run.jar", description = "the packaged service (default: ${DEFAULT-VALUE})")
    Path serviceJar;

    @Option(names = "--admin-token", description = "admin bearer token (default: $STIGMERGY_ADMIN_TOKEN, else <data dir>/admin-token)")
    String adminToken;

    @Option(names = "--repo", description = "repository to replay, any directory inside it (default: the current one)")
    Path repo;

    @Option(names = "--generate", paramLabel = "EDITS", description = "replay a generated history with a known DAG instead of "
            + "a repository: a root commit and EDITS edits (1-999) to " + GeneratedHistory.BLOCKS + " blocks of one file, "
            + "each edit following only the previous edit of its block (the tests' history), made under the scratch "
            + "directory; every commit of it is replayed (--commits and --repo do not apply)")
    Integer generate;

    @Option(names = {"-n", "--commits"}, defaultValue = "40", description = "first-parent commits to replay, 1-1000 (default: ${DEFAULT-VALUE}); fewer if the history is shorter")
    int commits;

    @Option(names = {"-k", "--workers"}, defaultValue = "4", description = "workers (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--lease-seconds", defaultValue = "6", description = "lease of locks and intents, renewed by heartbeats (default: ${DEFAULT-VALUE})")
    int leaseSeconds;

    @Option(names = "--kill-worker-after", defaultValue = "1", description = "worker 1 works alone through this many jobs, then dies in the middle of the next one (the others start then); 0 = nobody dies (default: ${DEFAULT-VALUE})")
    int killWorkerAfter;

    @Option(names = "--uncoordinated", description = "baseline: the same workers ignoring locks, intents and signals")
    boolean uncoordinated;

    @Option(names = "--scratch", description = "where scratch clones go (default: <data dir>/replays)")
    Path scratch;

    @Option(names = "--timeout-seconds", defaultValue = "900", description = "give up after this (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--poll-millis", defaultValue = "250", description = "pause between two looks at the medium when idle (default: ${DEFAULT-VALUE})")
    int pollMillis;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the workers' own orders and of the think times (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--think-ms", defaultValue = "0", description = "mean simulated edit time per job in milliseconds, "
            + "each job's drawn from --seed between half and 1.5 times it, spent holding the job's lock and intent (default: ${DEFAULT-VALUE})")
    long thinkMillis;

    @Option(names = "--file-level", description = "order jobs by shared files instead of colliding hunks (what hunk level saves shows against it)")
    boolean fileLevel;

    @Option(names = "--via", defaultValue = "rest", converter = ViaConverter.class,
            description = "the door workers and validator coordinate through: rest (the Java SDK) or mcp (tool calls on "
                    + "the service's /mcp endpoint, Streamable HTTP; the scout and the run's set-up stay on REST) (default: ${DEFAULT-VALUE})")
    WorkerPort.Via via;

    @Option(names = "--json", description = "print only the summary, as one JSON object (durations in seconds), on standard output; progress and the rest go to standard error")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec; // the refusal of bad options is printed where this command line prints

    private final PrintStream out;

    /** A command printing to {@code out}. */
    public ColonyCommand(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ColonyCommand(System.out))
                // a failed run says what failed (the service's problem, a missing repository), not a stack trace
                .setExecutionExceptionHandler((e, command, parsed) -> {
                    command.getErr().println("stigmergy-colony: " + e.getMessage());
                    return 1;
                })
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = json ? System.err : this.out;
        if (commits < 1 || commits > 1000 || workers < 1 || leaseSeconds < 1 || killWorkerAfter < 0 || timeoutSeconds < 1 || pollMillis < 1 || thinkMillis < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--commits must be 1-1000 (what one look at the medium returns); --workers, --lease-seconds, --timeout-seconds and --poll-millis must be ≥ 1, --kill-worker-after and --think-ms ≥ 0");
        }
        if (generate != null && (generate < 1 || generate > 999 || repo != null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--generate takes 1-999 edits (with its root, at most 1000 commits) and replaces --repo: give one of them");
        }
        int replayed = generate != null ? generate + 1 : commits;
        // the start-up line's clock: this process's start (the JVM's own start-up included); "first job ready" itself
        // counts from the service's answer, since the command may have had to start the service first
        Instant processStarted = ProcessHandle.current().info().startInstant()
                .orElse(Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()));
        Path scratchRoot = scratch != null ? scratch : LocalService.defaultDataDir().resolve("replays");
        Files.createDirectories(scratchRoot);
        // the scratch clone, the scout's tree diffs and the warm-ups (JGit's merge, the SDK) need no service: they run
        // while it starts
        Replay.Names names = Replay.Names.under(scratchRoot);
        Path source = generate != null ? scratchRoot.resolve("generated-" + names.run()).toAbsolutePath() : repo != null ? repo : Path.of(".");
        CompletableFuture<Replay.Prepared> preparing = new CompletableFuture<>();
        Thread preparer = new Thread(() -> {
            try {
                if (generate != null) {
                    GeneratedHistory.create(source, generate);
                    out.printf("generated a history of %d edits after a root commit in %s%n", generate, source);
                }
                preparing.complete(Replay.prepare(source, names, replayed, !uncoordinated));
                Medium.warmUp(url);
            } catch (Exception | Error e) {
                preparing.completeExceptionally(e);
            }
        }, "prepare");
        preparer.setDaemon(true);
        preparer.start();
        ReplaySummary summary;
        LocalService service;
        String token;
        try {
            service = LocalService.connectOrStart(url, serviceJar, Duration.ofMinutes(3), out);
            Instant serviceReady = Instant.now();
            token = adminToken(service);
            Colony.Settings settings = new Colony.Settings(Duration.ofSeconds(leaseSeconds), Duration.ofMillis(pollMillis),
                    Duration.ofSeconds(timeoutSeconds), uncoordinated ? 0 : killWorkerAfter, seed, Duration.ofMillis(thinkMillis), !fileLevel);
            summary = Replay.run(new Replay.Plan(url, token, source, scratchRoot, replayed, workers, !uncoordinated, settings, via),
                    names, preparing, new Replay.Clock(processStarted, serviceReady), out);
        } finally {
            preparing.thenAccept(Replay.Prepared::close);
        }
        summary.print(out);
        if (json) {
            this.out.println(summary.toJson());
            this.out.flush();
        }
        out.println();
        out.printf("service          %s%s%n", url, service.startedHere()
                ? " (started by this command, pid " + service.pid() + ", log " + service.log() + "; still running — stop it with: kill " + service.pid() + ")"
                : " (already running; left as it was)");
        String tokenSource = adminToken != null ? "the --admin-token you passed"
                : System.getenv("STIGMERGY_ADMIN_TOKEN") != null ? "$STIGMERGY_ADMIN_TOKEN" : service.dataDir().resolve("admin-token").toString();
        String tokenShell = adminToken != null ? "<admin token>"
                : System.getenv("STIGMERGY_ADMIN_TOKEN") != null ? "$STIGMERGY_ADMIN_TOKEN" : "$(cat " + service.dataDir().resolve("admin-token") + ")";
        out.printf("admin token      %s%n", tokenSource);
        out.printf("event stream     curl -N -H \"Authorization: Bearer %s\" '%s/events/stream?environment=%s'%n", tokenShell, url,
                summary.environment());
        out.printf("also             %s/events?environment=%s (pages of events), %s/q/swagger-ui/ (the API)%n", url,
                summary.environment(), url);
        // a reviewer of its own, so the newcomer can open the dashboard without registering anyone
        String reviewerToken = Medium.of(url, "admin", token, "admin").client().agents().registerAgent(new RegisterAgent()
                .id("reviewer-" + summary.environment()).displayName("Reviewer of " + summary.environment())
                .roles(List.of("reviewer"))).getToken();
        out.printf("dashboard        %s/dashboard (read-only; sign in with the reviewer token %s)%n", url, reviewerToken);
        return uncoordinated || summary.succeeded() ? 0 : 1;
    }

    /** {@code rest} or {@code mcp}, in any case. */
    static final class ViaConverter implements CommandLine.ITypeConverter<WorkerPort.Via> {
        @Override
        public WorkerPort.Via convert(String value) {
            try {
                return WorkerPort.Via.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("--via must be rest or mcp, was '" + value + "'");
            }
        }
    }

    private String adminToken(LocalService service) throws IOException {
        if (adminToken != null && !adminToken.isBlank()) {
            return adminToken.strip();
        }
        String env = System.getenv("STIGMERGY_ADMIN_TOKEN");
        if (env != null && !env.isBlank()) {
            return env.strip();
        }
        Path file = service.dataDir().resolve("admin-token");
        if (!Files.isReadable(file)) {
            throw new IllegalStateException("no admin token: pass --admin-token, set STIGMERGY_ADMIN_TOKEN, or let the service write " + file);
        }
        return Files.readString(file).strip();
    }
}
