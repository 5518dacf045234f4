import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark P12 (issue 30): the latency one agent feels. One client, sequential calls on one keep-alive connection,
 * for deposit, lock acquire, lock release, sense, heartbeat and a 20-file intent declaration among 10,000 active
 * intents, each beside the same work run raw over JDBC at one connection in the same run; then 8 in flight, deposits
 * and lock cycles against their raw statements at 8 connections, in alternating slices.
 * <p>
 * Raw baselines: a deposit against the raw {@code INSERT … RETURNING} of P2 (the pheromone row with its aggregate
 * trigger); acquire and release against the service's own one-statement grant and release ({@code
 * LockService.GRANT_IF_FREE}, {@code RELEASE_IF_HELD}, read from the compiled class as P1 does); sense against the
 * service's visible-pheromones query ({@code PheromoneRepository.CURRENT}/{@code VISIBLE}). A heartbeat and a
 * declaration run several statements in one transaction: for them, and for every operation, the database's own
 * time and statement count per call are read from {@code pg_stat_statements} when the database has it.
 * <p>
 * Usage: {@code java -cp 'target/quarkus-app/lib/main/*' P12LatencyBench.java BASE_URL ADMIN_TOKEN JDBC_URL}
 * Environment: CALLS (measured calls per operation, default 2000), WARMUP_CALLS (default 3000 per operation; the
 * service's JIT compiles after thousands of calls), DECLARATIONS (default 500), SECONDS (8-in-flight seconds per
 * side, default 20), SLICES (default 4).
 */
public class P12LatencyBench {

    static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    static final int ENTITIES = 1000;
    static final int IN_FLIGHT = 8;
    static final Random RANDOM = new Random(42);

    static String base, admin, jdbc, run, env;
    static HttpClient one, many;
    static boolean statements;

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static int env(String name, int fallback) {
        return Integer.parseInt(System.getenv().getOrDefault(name, Integer.toString(fallback)));
    }

    static void run(String[] args) throws Exception {
        base = args[0];
        admin = args[1];
        jdbc = args[2];
        int calls = env("CALLS", 2000), warmUp = env("WARMUP_CALLS", 3000), declarations = env("DECLARATIONS", 500);
        int seconds = env("SECONDS", 20), slices = env("SLICES", 4);
        URI uri = URI.create(base);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClientOptions options = new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort())
                .setKeepAlive(true).setTcpNoDelay(true);
        one = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(1));
        many = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
        run = Long.toString(System.currentTimeMillis(), 36);
        env = "p12-" + run;
        statements = hasStatements();

        send(one, admin, "POST", "/environments", "{\"name\":\"" + env + "\"}", 201);
        for (int i = 0; i < ENTITIES; i++) {
            send(one, admin, "PUT", "/entities/job/" + key(i), "{\"environment\":\"" + env + "\",\"title\":\"p12\"}", 201);
        }
        String solo = register("solo");
        List<String> team = new ArrayList<>();
        for (int c = 0; c < IN_FLIGHT; c++) {
            team.add(register("team" + c));
        }
        // the sensed entities carry what a team leaves: five depositors of two types each
        for (int i = 0; i < 100; i++) {
            for (int c = 0; c < 5; c++) {
                send(one, team.get(c), "POST", "/entities/job/" + key(i) + "/pheromones",
                        "{\"type\":\"" + (c % 2 == 0 ? "saturation" : "importance") + "\",\"intensity\":1.0}", 201);
            }
        }
        seedIntents(10_000);
        System.out.printf("P12 run %s: %s, %d entities, 10,000 seeded active intents; pg_stat_statements %s%n", run, env,
                ENTITIES, statements ? "read" : "absent");

        System.out.println("\n## 1 client, sequential, keep-alive (ms)");
        System.out.println("| operation | HTTP p50 | HTTP p99 | HTTP mean | raw JDBC p50 | raw p99 | raw mean | DB time/call | statements/call |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        Conn raw = new Conn(jdbc);
        // ONLY=deposit,lock,... runs just those sequential phases (a profiling run)
        List<String> only = List.of(System.getenv().getOrDefault("ONLY", "deposit,lock,sense,heartbeat,declare,inflight").split(","));
        // deposit: a repeat deposit on a random entity (the agent's row of the type exists after the warm-up)
        Sampler deposit = () -> status(call(one, solo, HttpMethod.POST, "/entities/job/" + key(rnd(ENTITIES)) + "/pheromones",
                "{\"type\":\"saturation\",\"intensity\":1.0}"), 200, 201);
        phase = "deposit";
        if (only.contains(phase)) row("deposit (repeat, folded)", sequential(deposit, warmUp, calls), rawSequential(raw.insertDeposit(), warmUp, calls));
        // a first deposit: a new type per call would need new types; a new agent's first deposit is the insert
        // path, the raw insert's own shape
        // lock acquire and release: timed separately, on a random free entity
        phase = "lock";
        if (only.contains(phase)) {
            Sample[] lock = lockSequential(solo, warmUp, calls);
            Sample[] rawLock = raw.lockSequential(warmUp, calls);
            row("lock acquire", lock[0], rawLock[0]);
            row("lock release", lock[1], rawLock[1]);
        }
        Sampler sense = () -> status(call(one, solo, HttpMethod.GET, "/entities/job/" + key(rnd(100)) + "/pheromones", null), 200);
        phase = "sense";
        if (only.contains(phase)) row("sense (10 pheromones, 2 types)", sequential(sense, warmUp, calls), rawSequential(raw.sense(), warmUp, calls));
        // heartbeat: the agent holds one lock and one intent, as a working agent does
        status(call(one, solo, HttpMethod.POST, "/entities/job/" + key(ENTITIES - 1) + "/lock", "{\"leaseSeconds\":600}"), 201, 200);
        long held = intentId(call(one, solo, HttpMethod.POST, "/environments/" + env + "/intents",
                "{\"entity\":\"job/" + key(ENTITIES - 1) + "\",\"description\":\"p12\",\"leaseSeconds\":600,"
                        + "\"files\":[{\"path\":\"solo/held.py\",\"level\":2}]}"));
        Sampler heartbeat = () -> status(call(one, solo, HttpMethod.POST, "/agents/me/heartbeat", null), 200);
        phase = "heartbeat";
        if (only.contains(phase)) row("heartbeat (1 lock, 1 intent)", sequential(heartbeat, warmUp, calls), rawSequential(raw.selectOne(), warmUp, calls));
        status(call(one, solo, HttpMethod.DELETE, "/entities/job/" + key(ENTITIES - 1) + "/lock", null), 200);
        status(call(one, solo, HttpMethod.POST, "/intents/" + held + "/complete", null), 200);
        // declaration: 20 files (15 paths, 5 globs) as P4; each completed afterwards, untimed, so that the
        // environment keeps its 10,000 active intents
        AtomicLong n = new AtomicLong();
        Sampler declare = new Sampler() {
            long intent;

            @Override
            public void sample() throws Exception {
                intent = intentId(call(one, solo, HttpMethod.POST, "/environments/" + env + "/intents",
                        declaration((int) n.incrementAndGet())));
            }

            @Override
            public void after() throws Exception {
                if (intent > 0) {
                    status(call(one, solo, HttpMethod.POST, "/intents/" + intent + "/complete", null), 200);
                }
            }
        };
        phase = "declare";
        if (only.contains(phase)) row("intent declaration (20 files, 10,000 active)", sequential(declare, Math.min(warmUp, 300), declarations),
                rawSequential(raw.selectOne(), warmUp, calls));
        System.out.println("(heartbeat and declaration: the raw column is one `select 1` round trip, the floor of one"
                + " statement; their statements are in the last two columns)");
        raw.close();
        PHASES.forEach(System.out::println);
        if (!only.contains("inflight")) {
            return;
        }

        System.out.printf("%n## %d in flight (%d s per side in %d alternating slices)%n", IN_FLIGHT, seconds, slices);
        System.out.println("| operation | HTTP ops/s | HTTP p50 | HTTP p99 | raw ops/s | raw p50 | raw p99 | HTTP/raw |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<Conn> conns = new ArrayList<>();
        for (int c = 0; c < IN_FLIGHT; c++) {
            conns.add(new Conn(jdbc));
        }
        AsyncOp httpDeposit = c -> call(many, team.get(c), HttpMethod.POST,
                "/entities/job/" + key(rnd(ENTITIES)) + "/pheromones", "{\"type\":\"saturation\",\"intensity\":1.0}")
                .compose(a -> a.status == 200 || a.status == 201 ? Future.succeededFuture() : Future.failedFuture("deposit " + a.status));
        List<RawCall> inserts = new ArrayList<>();
        for (Conn c : conns) {
            inserts.add(c.insertDeposit());
        }
        inFlight("deposit", httpDeposit, c -> inserts.get(c).run(), seconds, slices);
        AsyncOp httpCycle = c -> {
            String path = "/entities/job/" + key(rnd(ENTITIES)) + "/lock";
            return call(many, team.get(c), HttpMethod.POST, path, "{\"leaseSeconds\":60}").compose(a -> a.status == 409
                    ? Future.succeededFuture()
                    : a.status == 201 || a.status == 200
                    ? call(many, team.get(c), HttpMethod.DELETE, path, null).compose(r -> r.status == 200
                    ? Future.succeededFuture() : Future.failedFuture("release " + r.status))
                    : Future.failedFuture("acquire " + a.status));
        };
        List<Long> lockRows = lockRows();
        inFlight("lock cycle (acquire + release)", httpCycle, c -> conns.get(c).lockCycle(lockRows, "raw8-" + c), seconds, slices);
        for (Conn c : conns) {
            c.close();
        }
    }

    // ---- sampling -------------------------------------------------------------------------------------------

    interface Sampler {
        void sample() throws Exception;

        /** Untimed work after each sample (cleanup). */
        default void after() throws Exception {
        }
    }

    /** Latencies in nanoseconds, sorted, with the database's time and statements per call when known. */
    record Sample(long[] nanos, double dbMillisPerCall, double statementsPerCall) {
        double p(double q) {
            return nanos[Math.min(nanos.length - 1, (int) (nanos.length * q))] / 1e6;
        }

        double mean() {
            return Arrays.stream(nanos).average().orElse(0) / 1e6;
        }
    }

    static Sample sequential(Sampler s, int warmUp, int calls) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            s.sample();
            s.after();
        }
        resetStatements();
        long[] nanos = new long[calls];
        long from = System.currentTimeMillis();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            s.sample();
            nanos[i] = System.nanoTime() - t;
            s.after();
        }
        // for cpu-per-phase.sh: the service's and the database's CPU per call in this phase
        PHASES.add(String.format("phase %s %d %d %d", phase, from, System.currentTimeMillis(), calls));
        return withStatements(nanos, calls);
    }

    static Sample rawSequential(RawCall p, int warmUp, int calls) throws Exception {
        phase = "raw-" + phase;
        return sequential(p::run, warmUp, calls);
    }

    static void row(String what, Sample http, Sample raw) {
        System.out.printf("| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %s |%n", what, http.p(0.5), http.p(0.99),
                http.mean(), raw.p(0.5), raw.p(0.99), raw.mean(),
                Double.isNaN(http.dbMillisPerCall()) ? "n/a" : String.format("%.3f", http.dbMillisPerCall()),
                Double.isNaN(http.statementsPerCall()) ? "n/a" : String.format("%.1f", http.statementsPerCall()));
    }

    // the database's time per call: every statement of the bench database since the reset, divided by the calls
    // (a sampler with untimed cleanup, the declaration's completion, counts its cleanup too)
    static Sample withStatements(long[] nanos, int calls) throws Exception {
        Arrays.sort(nanos);
        if (!statements) {
            return new Sample(nanos, Double.NaN, Double.NaN);
        }
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("""
                     select coalesce(sum(total_exec_time), 0), coalesce(sum(calls), 0) from pg_stat_statements
                      where dbid = (select oid from pg_database where datname = current_database())
                        and toplevel and query not like '%pg_stat_statements%'""")) {
            r.next();
            Sample sample = new Sample(nanos, r.getDouble(1) / calls, r.getDouble(2) / calls);
            dumpStatements(c, calls);
            return sample;
        }
    }

    static String phase = "setup";
    static final List<String> PHASES = new ArrayList<>();

    /** The phase's statements, per call, into /tmp/p12-statements-PHASE.txt: what the breakdown is read from. */
    static void dumpStatements(Connection c, int calls) throws Exception {
        try (PreparedStatement s = c.prepareStatement("""
                     select calls, total_exec_time, mean_exec_time, toplevel, regexp_replace(query, '\\s+', ' ', 'g'),
                            total_plan_time
                       from pg_stat_statements
                      where dbid = (select oid from pg_database where datname = current_database())
                        and query not like '%pg_stat_statements%' order by total_exec_time desc""");
             ResultSet r = s.executeQuery();
             java.io.PrintWriter out = new java.io.PrintWriter("/tmp/p12-statements-" + phase + ".txt")) {
            out.printf("%s: %d calls measured; per call: executions, exec ms, plan ms (0 unless pg_stat_statements.track_planning);"
                    + " mean ms per execution; top level or nested; query%n", phase, calls);
            while (r.next()) {
                out.printf("%6.2f %7.3f %7.3f %7.3f %s  %s%n", r.getDouble(1) / calls, r.getDouble(2) / calls,
                        r.getDouble(6) / calls, r.getDouble(3),
                        r.getBoolean(4) ? "top   " : "nested",
                        r.getString(5).length() > 400 ? r.getString(5).substring(0, 400) : r.getString(5));
            }
        }
    }

    static boolean hasStatements() {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("create extension if not exists pg_stat_statements");
            s.executeQuery("select 1 from pg_stat_statements limit 1").close();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void resetStatements() throws Exception {
        if (statements) {
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
                s.execute("select pg_stat_statements_reset()");
            }
        }
    }

    /** Acquire then release of a random entity, each timed, [acquire, release]. */
    static Sample[] lockSequential(String token, int warmUp, int calls) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            String path = "/entities/job/" + key(rnd(ENTITIES - 1)) + "/lock";
            status(call(one, token, HttpMethod.POST, path, "{\"leaseSeconds\":60}"), 201, 200);
            status(call(one, token, HttpMethod.DELETE, path, null), 200);
        }
        resetStatements();
        long from = System.currentTimeMillis();
        long[] acquire = new long[calls], release = new long[calls];
        for (int i = 0; i < calls; i++) {
            String path = "/entities/job/" + key(rnd(ENTITIES - 1)) + "/lock";
            long t = System.nanoTime();
            status(call(one, token, HttpMethod.POST, path, "{\"leaseSeconds\":60}"), 201, 200);
            long t2 = System.nanoTime();
            status(call(one, token, HttpMethod.DELETE, path, null), 200);
            acquire[i] = t2 - t;
            release[i] = System.nanoTime() - t2;
        }
        PHASES.add(String.format("phase lock-pair %d %d %d", from, System.currentTimeMillis(), calls));
        // the pair's statements, halved: P12 reports each half's share of the database time
        Sample a = withStatements(acquire, 2 * calls), r = withStatements(release, 2 * calls);
        return new Sample[] {a, r};
    }

    // ---- 8 in flight ----------------------------------------------------------------------------------------

    interface AsyncOp {
        Future<?> run(int client);
    }

    interface RawOp {
        void run(int client) throws Exception;
    }

    record Rate(long count, long millis, long[] nanos) {
    }

    static void inFlight(String what, AsyncOp http, RawOp raw, int seconds, int slices) throws Exception {
        asyncFor(http, 5);
        threadsFor(raw, 2);
        List<long[]> h = new ArrayList<>(), r = new ArrayList<>();
        long hCount = 0, hMillis = 0, rCount = 0, rMillis = 0;
        for (int s = 0; s < slices; s++) {
            Rate a = asyncFor(http, seconds / slices);
            Rate b = threadsFor(raw, seconds / slices);
            h.add(a.nanos);
            r.add(b.nanos);
            hCount += a.count;
            hMillis += a.millis;
            rCount += b.count;
            rMillis += b.millis;
        }
        long[] hn = h.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        long[] rn = r.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        double hr = hCount * 1000.0 / hMillis, rr = rCount * 1000.0 / rMillis;
        System.out.printf("| %s | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | **%.1f %%** |%n", what, hr,
                hn[hn.length / 2] / 1e6, hn[(int) (hn.length * 0.99)] / 1e6, rr, rn[rn.length / 2] / 1e6,
                rn[(int) (rn.length * 0.99)] / 1e6, 100 * hr / rr);
    }

    static Rate asyncFor(AsyncOp op, int seconds) throws Exception {
        long from = System.currentTimeMillis(), end = System.nanoTime() + seconds * 1_000_000_000L;
        ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(IN_FLIGHT);
        for (int c = 0; c < IN_FLIGHT; c++) {
            loop(op, c, end, nanos, failures, done);
        }
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.peek());
        }
        return new Rate(nanos.size(), System.currentTimeMillis() - from, nanos.stream().mapToLong(Long::longValue).toArray());
    }

    static void loop(AsyncOp op, int c, long end, ConcurrentLinkedQueue<Long> nanos, ConcurrentLinkedQueue<Throwable> failures,
                     CountDownLatch done) {
        long t = System.nanoTime();
        op.run(c).onComplete(r -> {
            if (r.failed()) {
                failures.add(r.cause());
                done.countDown();
                return;
            }
            nanos.add(System.nanoTime() - t);
            if (System.nanoTime() < end) {
                loop(op, c, end, nanos, failures, done);
            } else {
                done.countDown();
            }
        });
    }

    static Rate threadsFor(RawOp op, int seconds) throws Exception {
        long from = System.currentTimeMillis(), end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> parts = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int c = 0; c < IN_FLIGHT; c++) {
            int client = c;
            long[][] mine = {new long[1 << 16]};
            int[] n = {0};
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        long s = System.nanoTime();
                        op.run(client);
                        if (n[0] == mine[0].length) mine[0] = Arrays.copyOf(mine[0], n[0] * 2);
                        mine[0][n[0]++] = System.nanoTime() - s;
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                synchronized (parts) {
                    parts.add(Arrays.copyOf(mine[0], n[0]));
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) t.join();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0));
        }
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        return new Rate(all.length, System.currentTimeMillis() - from, all);
    }

    // ---- the service's statements, the bench's own copies (as P1LockBench keeps them): the baselines do not move when
    // the service's code is refactored; when the service's SQL for these operations changes, update them on purpose

    static final String GRANT_IF_FREE = """
            with granted as (
                update entity_lock set holder = ?, fencing_token = nextval('fencing_token_seq'), lease_seconds = ?,
                       reason = ?, acquired_at = ?, expires_at = ?
                 where entity_id = ? and holder is null
                returning entity, environment, fencing_token
            ), appended as (
                insert into event (occurred_at, type, environment, entity, agent, data)
                select ?, 'lock.acquired', environment, entity, ?,
                       cast(? as jsonb) || jsonb_build_object('fencingToken', fencing_token)
                  from granted
                returning id
            )
            select g.entity, g.environment, g.fencing_token, a.id from granted g cross join appended a""";

    static final String RELEASE_IF_HELD = """
            with held as (
                select entity_id, entity, environment, holder, fencing_token, lease_seconds, reason, acquired_at,
                       expires_at
                  from entity_lock
                 where entity_id = ? and holder = ? and expires_at > ? and not unlock_requested
                   for update
            ), freed as (
                update entity_lock l set holder = null, fencing_token = null, lease_seconds = null, reason = null,
                       acquired_at = null, expires_at = null
                  from held where l.entity_id = held.entity_id
                returning held.*
            ), appended as (
                insert into event (occurred_at, type, environment, entity, agent, data)
                select ?, 'lock.released', environment, entity, holder, jsonb_strip_nulls(jsonb_build_object(
                           'holder', holder, 'fencingToken', fencing_token, 'leaseSeconds', lease_seconds,
                           'acquiredAt', iso_instant(acquired_at), 'expiresAt', iso_instant(expires_at),
                           'reason', reason))
                  from freed
                returning id
            )
            select f.entity, f.environment, f.holder, f.fencing_token, f.reason, f.lease_seconds, f.acquired_at,
                   f.expires_at, a.id
              from freed f cross join appended a""";

    /** A pheromone's current intensity at :now (the service's sense query). */
    static final String CURRENT = """
            (case t.decay_kind
               when 'EXPONENTIAL' then p.intensity * pow2(-greatest(0.0, cast(extract(epoch from
                    (cast(:now as timestamptz) - p.deposited_at)) as double precision)) / p.half_life_seconds)
               when 'REINFORCEMENT_ONLY' then least(t.max_intensity, greatest(0.0, coalesce(
                    (select sum(v.delta) from pheromone_verdict v
                      where v.pheromone_id = p.id and v.decided_at <= cast(:now as timestamptz)
                        and v.decided_at > cast(:now as timestamptz) - t.window_seconds * interval '1 second'), 0.0)))
               else p.intensity end)""";

    /** p is visible at :now. */
    static final String VISIBLE = "(p.visible_until is null or p.visible_until > cast(:now as timestamptz))";

    // ---- raw JDBC -------------------------------------------------------------------------------------------

    static final AtomicLong SEQ = new AtomicLong();
    static List<Long> entityIds;

    /** One connection with the raw statements the baselines run, autocommit as the service runs them. */
    static final class Conn {
        final Connection c;
        PreparedStatement grant, release;

        Conn(String jdbc) throws Exception {
            c = DriverManager.getConnection(jdbc, "postgres", "");
            grant = c.prepareStatement(GRANT_IF_FREE);
            release = c.prepareStatement(RELEASE_IF_HELD);
        }

        /** P2's raw deposit: the pheromone row as the schema stores it, its aggregate trigger included. */
        RawCall insertDeposit() throws Exception {
            List<Long> ids = entityIds();
            PreparedStatement p = c.prepareStatement("""
                    insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity,
                                           deposited_at, created_at, half_life_seconds, visible_until, rank_key)
                    values (?, 'job', 'raw', ?, 'saturation', ?, 1.0, now(), now(), 1800,
                            now() + interval '2 hours', 0) returning id""");
            return () -> {
                p.setLong(1, ids.get(rnd(ids.size())));
                p.setString(2, env);
                p.setString(3, "raw-" + run + "-" + SEQ.incrementAndGet());
                execute(p);
            };
        }

        /** The service's sense query: visible pheromones of one entity with their current intensities. */
        RawCall sense() throws Exception {
            String sql = ("select p.id, " + CURRENT + " from pheromone p join signal_type t on t.name = p.type"
                    + " where p.entity_id = ? and " + VISIBLE + " order by p.type, p.agent")
                    .replace(":now", "now()");
            PreparedStatement p = c.prepareStatement(sql);
            List<Long> ids = entityIds().subList(0, 100);
            return () -> {
                p.setLong(1, ids.get(rnd(ids.size())));
                execute(p);
            };
        }

        RawCall selectOne() throws Exception {
            PreparedStatement p = c.prepareStatement("select 1");
            return () -> execute(p);
        }

        Sample[] lockSequential(int warmUp, int calls) throws Exception {
            List<Long> rows = lockRows();
            long[] a = new long[calls], r = new long[calls];
            for (int i = 0; i < warmUp + calls; i++) {
                long entity = rows.get(rnd(rows.size()));
                OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                long t = System.nanoTime();
                grant(entity, now, "raw-solo");
                long t2 = System.nanoTime();
                release(entity, now, "raw-solo");
                if (i >= warmUp) {
                    a[i - warmUp] = t2 - t;
                    r[i - warmUp] = System.nanoTime() - t2;
                }
            }
            Arrays.sort(a);
            Arrays.sort(r);
            return new Sample[] {new Sample(a, Double.NaN, Double.NaN), new Sample(r, Double.NaN, Double.NaN)};
        }

        void lockCycle(List<Long> rows, String agent) throws Exception {
            long entity = rows.get(rnd(rows.size()));
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            if (grant(entity, now, agent)) {
                release(entity, now, agent);
            }
        }

        boolean grant(long entity, OffsetDateTime now, String agent) throws Exception {
            OffsetDateTime expires = now.plusSeconds(60);
            String data = "{\"holder\":\"" + agent + "\",\"leaseSeconds\":60,\"acquiredAt\":\"" + now.toInstant()
                    + "\",\"expiresAt\":\"" + expires.toInstant() + "\"}";
            Object[] args = {agent, 60, null, now, expires, entity, now, agent, data};
            for (int k = 0; k < args.length; k++) grant.setObject(k + 1, args[k]);
            try (ResultSet rs = grant.executeQuery()) {
                return rs.next();
            }
        }

        void release(long entity, OffsetDateTime now, String agent) throws Exception {
            release.setLong(1, entity);
            release.setString(2, agent);
            release.setObject(3, now);
            release.setObject(4, now);
            try (ResultSet rs = release.executeQuery()) {
                if (!rs.next()) throw new IllegalStateException("raw: the release freed nothing");
            }
        }

        void close() throws Exception {
            c.close();
        }
    }

    /** One raw statement execution, its parameters bound afresh. */
    interface RawCall {
        void run() throws Exception;
    }

    static void execute(PreparedStatement p) throws Exception {
        try (ResultSet r = p.executeQuery()) {
            while (r.next()) {
            }
        }
    }

    static List<Long> entityIds() throws Exception {
        if (entityIds == null) {
            entityIds = ids("select id from entity where environment = ? order by id");
        }
        return entityIds;
    }

    static List<Long> lockRows() throws Exception {
        return ids("select entity_id from entity_lock where environment = ? and holder is null order by entity_id");
    }

    static List<Long> ids(String sql) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, env);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) ids.add(r.getLong(1));
            }
        }
        return ids;
    }


    /** 10,000 intents of 20 other agents, 2 files each under pkg0..99/mod0..9/, levels 1-2 (as P4 seeds them). */
    static void seedIntents(int count) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement intent = c.prepareStatement("""
                    insert into intent (environment, entity_id, entity, agent, description, priority, lease_seconds,
                                        fencing_token, status, created_at, expires_at)
                    select ?, e.id, 'job/' || e.key, ?, 'seeded', 5, 86400, nextval('fencing_token_seq'),
                           'ACTIVE', now(), now() + interval '1 day'
                    from entity e where e.kind = 'job' and e.key = ? returning id""");
                 PreparedStatement file = c.prepareStatement("""
                    insert into intent_file (intent_id, agent, path, prefix, level, status) values (?, ?, ?, ?, ?, 'HELD')""")) {
                for (int k = 0; k < count; k++) {
                    intent.setString(1, env);
                    intent.setString(2, "seed-agent-" + (k % 20));
                    intent.setString(3, key(k % 100));
                    long id;
                    try (ResultSet r = intent.executeQuery()) {
                        r.next();
                        id = r.getLong(1);
                    }
                    for (int f = 0; f < 2; f++) {
                        String dir = "pkg" + RANDOM.nextInt(100) + "/mod" + RANDOM.nextInt(10) + "/";
                        file.setLong(1, id);
                        file.setString(2, "seed-agent-" + (k % 20));
                        file.setString(3, dir + "file" + k + "_" + f + ".py");
                        file.setString(4, dir);
                        file.setInt(5, 1 + RANDOM.nextInt(2));
                        file.addBatch();
                    }
                    if (k % 500 == 499) file.executeBatch();
                }
                file.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze");
            }
        }
    }

    /** A 20-file declaration as P4 makes it: 15 paths at levels 1-4 and 5 globs at level 2. */
    static String declaration(int n) {
        StringBuilder files = new StringBuilder();
        for (int f = 0; f < 15; f++) {
            files.append(String.format("{\"path\":\"pkg%d/mod%d/bench%d_%d.py\",\"level\":%d},",
                    RANDOM.nextInt(100), RANDOM.nextInt(10), n, f, 1 + RANDOM.nextInt(4)));
        }
        String[] globs = {"pkg%d/mod%d/*.txt", "pkg%d/**/*.md", "pkg%d/mod%d/new_*%d.py", "pkg%d/mod%d/[ab]*.cfg", "pkg%d/mod?/x%d.py"};
        for (int g = 0; g < 5; g++) {
            String glob = String.format(globs[g], RANDOM.nextInt(100), RANDOM.nextInt(10), n);
            files.append("{\"path\":\"").append(glob).append("\",\"level\":2}").append(g < 4 ? "," : "");
        }
        return "{\"entity\":\"job/" + key(n % 100) + "\",\"description\":\"bench\",\"leaseSeconds\":3600,"
                + "\"mode\":\"all-or-nothing\",\"files\":[" + files + "]}";
    }

    // ---- HTTP -----------------------------------------------------------------------------------------------

    record Answer(int status, String body) {
    }

    static String key(int i) {
        return "P12-" + run + "-" + i;
    }

    static int rnd(int n) {
        return ThreadLocalRandom.current().nextInt(n);
    }

    static Future<Answer> call(HttpClient http, String token, HttpMethod method, String path, String body) {
        return http.request(method, path).compose(request -> {
            request.putHeader("Authorization", "Bearer " + token);
            if (body == null) {
                return request.send();
            }
            return request.putHeader("Content-Type", "application/json").send(Buffer.buffer(body));
        }).compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())));
    }

    static Answer status(Future<Answer> call, int... expected) throws Exception {
        Answer a = call.toCompletionStage().toCompletableFuture().get();
        for (int e : expected) {
            if (a.status == e) return a;
        }
        throw new IllegalStateException("answered " + a.status + ": " + a.body);
    }

    static long intentId(Future<Answer> call) throws Exception {
        Answer a = call.toCompletionStage().toCompletableFuture().get();
        if (a.status != 201) {
            return 0; // refused (409): nothing to complete
        }
        // the intent object's own "id", at its top level (its files come before it)
        int depth = 0;
        for (int i = a.body.indexOf("\"intent\":{") + 9; i < a.body.length(); i++) {
            char ch = a.body.charAt(i);
            if (ch == '{' || ch == '[') depth++;
            else if (ch == '}' || ch == ']') depth--;
            else if (depth == 1 && a.body.startsWith("\"id\":", i)) {
                Matcher m = Pattern.compile("\\d+").matcher(a.body).region(i + 5, a.body.length());
                if (m.lookingAt()) return Long.parseLong(m.group());
            }
        }
        throw new IllegalStateException("no intent id in " + a.body);
    }

    static String send(HttpClient http, String token, String method, String path, String body, int expected) throws Exception {
        return status(call(http, token, HttpMethod.valueOf(method), path, body), expected).body;
    }

    static String register(String name) throws Exception {
        String body = send(one, admin, "POST", "/agents",
                "{\"id\":\"p12-" + run + "-" + name + "\",\"displayName\":\"p12\",\"roles\":[\"agent\"]}", 201);
        Matcher m = TOKEN.matcher(body);
        if (!m.find()) throw new IllegalStateException("no token in " + body);
        return m.group(1);
    }
}
