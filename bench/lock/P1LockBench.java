import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark P1 (issue 4): acquire+release cycles per second through HTTP with N concurrent clients on random
 * entities, beside two JDBC phases with the same number of connections, in the same run and against the same
 * PostgreSQL:
 * <ul>
 *   <li>raw: the two SQL statements of one cycle of the service's common path ({@link #GRANT_IF_FREE} and
 *       {@link #RELEASE_IF_HELD}: the grant of a free row and the release by its live holder, each with its event),
 *       each in autocommit as the service runs them, on the run's entities (the goal's baseline): what the SQL
 *       alone allows, with HTTP, JSON, authentication and the framework taken away. They are the bench's own copy
 *       of the service's statements, so that the baseline does not move when the service's code is refactored;
 *       when the service's common path starts doing other SQL work, update them and say so in RESULTS.md;
 *   <li>minimal: a bare acquire upsert and release on a bench-only table, autocommit, without the event each
 *       transition of the service appends and without the service's indexes: for reference, what PostgreSQL does
 *       for the least a lock can be.
 * </ul>
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*' P1LockBench.java BASE_URL ADMIN_TOKEN JDBC_URL [clients] [seconds] [entities] [connections]</pre>
 *
 * {@code connections} (default: {@code clients}) is the service's connection pool size; both JDBC phases use as many.
 * The measured seconds alternate between HTTP and raw in {@code SLICES} (environment, default 4) slices each, on
 * connections kept open, so that a shared VM whose speed drifts within the run weighs on both sides alike; the
 * minimal phase runs once, after them.
 * The HTTP clients are Vert.x's, closed loops on one event loop: the load generator shares the machine's cores with
 * the service and PostgreSQL, and the JDK's HttpClient (a selector thread and a handoff per call) took several times
 * the CPU per call.
 */
public class P1LockBench {

    static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        String jdbc = args[2];
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int entityCount = args.length > 5 ? Integer.parseInt(args[5]) : 1000;
        int connections = args.length > 6 ? Integer.parseInt(args[6]) : clients;
        URI uri = URI.create(base);
        HttpClient http = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)).createHttpClient(
                new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()),
                new PoolOptions().setHttp1MaxSize(clients));

        String env = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        send(http, admin, "POST", "/environments", "{\"name\":\"" + env + "\"}", 201);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < entityCount; i++) {
            String key = env + "-" + i;
            send(http, admin, "PUT", "/entities/job/" + key, "{\"environment\":\"" + env + "\",\"title\":\"b\"}", 201);
            keys.add(key);
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            String body = send(http, admin, "POST", "/agents",
                    "{\"id\":\"" + env + "-a" + i + "\",\"displayName\":\"bench\",\"roles\":[\"agent\"]}", 201);
            Matcher m = TOKEN.matcher(body);
            if (!m.find()) {
                throw new IllegalStateException("no token in " + body);
            }
            tokens.add(m.group(1));
        }

        System.out.printf("clients=%d seconds=%d entities=%d connections=%d cpus=%d%n", clients, seconds, entityCount, connections,
                Runtime.getRuntime().availableProcessors());
        // warm-up, not measured: under this load on 2 cores the service's C2 JIT still compiles hundreds of methods
        // per 10 s at 90 s, and after a 60 s warm-up the HTTP slices still sped up from one to the next: measure the
        // steady state a long-running service is in, not its JIT
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "150"));
        Result warm = http(http, tokens, keys, warmUp);
        System.out.printf("warm-up http: %.0f cycles/s%n", warm.cyclesPerSecond());
        int slices = Integer.parseInt(System.getenv().getOrDefault("SLICES", "4"));
        List<RawClient> rawClients = rawClients(jdbc, connections, env);
        List<Long> entityIds = lockedEntities(jdbc, env);
        Result httpResult = null, raw = null;
        List<String> phases = new ArrayList<>();
        for (int slice = 1; slice <= slices; slice++) {
            long httpStart = System.currentTimeMillis();
            Result h = http(http, tokens, keys, seconds / slices);
            long rawStart = System.currentTimeMillis();
            Result r = raw(rawClients, entityIds, seconds / slices);
            long rawEnd = System.currentTimeMillis();
            phases.add(String.format("phase http %d %d %d", httpStart, rawStart, h.cycles));
            phases.add(String.format("phase raw %d %d %d", rawStart, rawEnd, r.cycles));
            System.out.printf("slice %d: http %.0f cycles/s, raw %.0f cycles/s, %.1f %%%n", slice, h.cyclesPerSecond(),
                    r.cyclesPerSecond(), 100.0 * h.cyclesPerSecond() / r.cyclesPerSecond());
            httpResult = httpResult == null ? h : httpResult.plus(h);
            raw = raw == null ? r : raw.plus(r);
        }
        for (RawClient client : rawClients) {
            client.connection().close();
        }
        long minimalStart = System.currentTimeMillis();
        Result minimal = minimal(jdbc, connections, entityCount, seconds);
        long minimalEnd = System.currentTimeMillis();
        // epoch milliseconds of each phase, for run.sh to attribute CPU time to it
        phases.forEach(System.out::println);
        System.out.printf("phase minimal %d %d %d%n", minimalStart, minimalEnd, minimal.cycles);
        System.out.printf("http: %d cycles in %d s = %.0f cycles/s; per call p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d conflicts%n",
                httpResult.cycles, seconds, httpResult.cyclesPerSecond(), httpResult.percentile(50),
                httpResult.percentile(99), httpResult.percentile(100), httpResult.conflicts);
        System.out.printf("raw (the service's two statements over jdbc): %d cycles in %d s = %.0f cycles/s; per statement p50 %.2f ms, p99 %.2f ms%n",
                raw.cycles, seconds, raw.cyclesPerSecond(), raw.percentile(50), raw.percentile(99));
        System.out.printf("minimal (bench-only table, no events): %d cycles in %d s = %.0f cycles/s; per statement p50 %.2f ms, p99 %.2f ms%n",
                minimal.cycles, seconds, minimal.cyclesPerSecond(), minimal.percentile(50), minimal.percentile(99));
        System.out.printf("http / raw = %.1f %%; raw / minimal = %.1f %%; http / minimal = %.1f %%%n",
                100.0 * httpResult.cyclesPerSecond() / raw.cyclesPerSecond(),
                100.0 * raw.cyclesPerSecond() / minimal.cyclesPerSecond(),
                100.0 * httpResult.cyclesPerSecond() / minimal.cyclesPerSecond());
    }

    record Result(long cycles, long conflicts, int seconds, long[] latenciesNanos) {
        /** This result and {@code other}'s, as if measured in one phase. */
        Result plus(Result other) {
            return new Result(cycles + other.cycles, conflicts + other.conflicts, seconds + other.seconds,
                    merge(List.of(latenciesNanos, other.latenciesNanos)));
        }

        double cyclesPerSecond() {
            return (double) cycles / seconds;
        }

        double percentile(int p) {
            if (latenciesNanos.length == 0) {
                return 0;
            }
            int i = Math.min(latenciesNanos.length - 1, (int) Math.ceil(p / 100.0 * latenciesNanos.length) - 1);
            return latenciesNanos[Math.max(0, i)] / 1e6;
        }
    }

    /** One client of a phase: sets itself up, then runs its {@link #cycle} loop. */
    interface Client {
        void run(int index, Phase phase) throws Exception;
    }

    /** What the clients of one phase share: its end, its start signal, its counters and their latencies. */
    static final class Phase {
        final long endNanos;
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicLong cycles = new AtomicLong();
        final AtomicLong conflicts = new AtomicLong();
        private final List<long[]> latencies = new ArrayList<>();

        Phase(int seconds) {
            endNanos = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        }

        boolean running() {
            return System.nanoTime() < endNanos;
        }

        synchronized void record(long[] latenciesNanos, int n) {
            latencies.add(Arrays.copyOf(latenciesNanos, n));
        }
    }

    /** Runs {@code clients} copies of {@code client} on threads of their own for {@code seconds}. */
    static Result measure(int clients, int seconds, Client client) throws Exception {
        Phase phase = new Phase(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int index = i;
            futures.add(pool.submit(() -> {
                client.run(index, phase);
                return null;
            }));
        }
        phase.start.countDown();
        for (java.util.concurrent.Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new Result(phase.cycles.get(), phase.conflicts.get(), seconds, merge(phase.latencies));
    }

    /** One client's cycle: acquire answers what release needs, or {@code null} when another holds the entity. */
    interface Cycle<H> {
        H acquire() throws Exception;

        void release(H held) throws Exception;
    }

    /**
     * The loop every client runs once set up: awaits the phase's start, then cycles until its end, timing each
     * acquire and each release and counting cycles and conflicts.
     */
    static <H> void cycle(Phase phase, Cycle<H> cycle) throws Exception {
        long[] lat = new long[1 << 20];
        int n = 0;
        phase.start.await();
        while (phase.running()) {
            long t0 = System.nanoTime();
            H held = cycle.acquire();
            long t1 = System.nanoTime();
            if (n < lat.length) lat[n++] = t1 - t0;
            if (held == null) {
                phase.conflicts.incrementAndGet();
                continue;
            }
            cycle.release(held);
            if (n < lat.length) lat[n++] = System.nanoTime() - t1;
            phase.cycles.incrementAndGet();
        }
        phase.record(lat, n);
    }

    /** The HTTP phase: each client a closed loop of acquire and release calls on the client's event loop. */
    static Result http(HttpClient http, List<String> tokens, List<String> keys, int seconds) throws Exception {
        Phase phase = new Phase(seconds);
        List<HttpLoop> loops = new ArrayList<>();
        for (String token : tokens) {
            HttpLoop loop = new HttpLoop(http, token, keys, phase);
            loops.add(loop);
            loop.next();
        }
        for (HttpLoop loop : loops) {
            loop.done.get();
        }
        return new Result(phase.cycles.get(), phase.conflicts.get(), seconds, merge(phase.latencies));
    }

    /** {@link #cycle} for one HTTP client, whose calls answer futures: each step issues the next when it ends. */
    static final class HttpLoop {
        final HttpClient http;
        final String token;
        final List<String> keys;
        final Phase phase;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long[] lat = new long[1 << 20];
        int n;

        HttpLoop(HttpClient http, String token, List<String> keys, Phase phase) {
            this.http = http;
            this.token = token;
            this.keys = keys;
            this.phase = phase;
        }

        void next() {
            if (!phase.running()) {
                phase.record(lat, n);
                done.complete(null);
                return;
            }
            String path = "/entities/job/" + keys.get(ThreadLocalRandom.current().nextInt(keys.size())) + "/lock";
            long t0 = System.nanoTime();
            call(http, token, HttpMethod.POST, path, "{\"leaseSeconds\":60}")
                    .onSuccess(acquired -> acquired(path, t0, acquired)).onFailure(done::completeExceptionally);
        }

        private void acquired(String path, long t0, Answer acquired) {
            long t1 = System.nanoTime();
            if (n < lat.length) lat[n++] = t1 - t0;
            if (acquired.status() == 409) {
                phase.conflicts.incrementAndGet();
                next();
            } else if (acquired.status() != 201) {
                done.completeExceptionally(new IllegalStateException("acquire: " + acquired));
            } else {
                call(http, token, HttpMethod.DELETE, path, null)
                        .onSuccess(released -> released(t1, released)).onFailure(done::completeExceptionally);
            }
        }

        private void released(long t1, Answer released) {
            if (released.status() != 200) {
                done.completeExceptionally(new IllegalStateException("release: " + released));
                return;
            }
            if (n < lat.length) lat[n++] = System.nanoTime() - t1;
            phase.cycles.incrementAndGet();
            next();
        }
    }

    /** The reference: a bare acquire upsert and release, autocommit, on a bench-only table. */
    static Result minimal(String jdbc, int clients, int entityCount, int seconds) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("""
                    create table if not exists bench_raw_lock (
                        entity_id bigint primary key, holder text, fencing_token bigint, expires_at timestamptz)""");
            s.execute("create sequence if not exists bench_raw_token_seq");
        }
        String acquire = """
                insert into bench_raw_lock as l (entity_id, holder, fencing_token, expires_at)
                values (?, ?, nextval('bench_raw_token_seq'), cast(? as timestamptz) + interval '60 seconds')
                on conflict (entity_id) do update
                   set holder = excluded.holder, fencing_token = excluded.fencing_token, expires_at = excluded.expires_at
                 where l.holder is null or l.expires_at <= ? or l.holder = excluded.holder
                returning fencing_token""";
        String release = """
                update bench_raw_lock set holder = null, fencing_token = null, expires_at = null
                 where entity_id = ? and holder = ? and fencing_token = ?""";
        return measure(clients, seconds, (index, phase) -> {
            String agent = "raw-" + index;
            try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
                 PreparedStatement a = c.prepareStatement(acquire);
                 PreparedStatement r = c.prepareStatement(release)) {
                cycle(phase, new Cycle<long[]>() {
                    @Override
                    public long[] acquire() throws Exception {
                        long entity = -1 - ThreadLocalRandom.current().nextInt(entityCount);
                        java.sql.Timestamp now = new java.sql.Timestamp(System.currentTimeMillis());
                        a.setLong(1, entity);
                        a.setString(2, agent);
                        a.setTimestamp(3, now);
                        a.setTimestamp(4, now);
                        try (ResultSet rs = a.executeQuery()) {
                            return rs.next() ? new long[]{entity, rs.getLong(1)} : null;
                        }
                    }

                    @Override
                    public void release(long[] held) throws Exception {
                        r.setLong(1, held[0]);
                        r.setString(2, agent);
                        r.setLong(3, held[1]);
                        r.executeUpdate();
                    }
                });
            }
        });
    }

    /** A lock the raw phase holds: the row's entity id and the grant's instant. */
    record SqlHold(long entity, OffsetDateTime at) {
    }

    /** One raw client: its connection and the service's two statements on it, kept open across the slices. */
    record RawClient(Connection connection, PreparedStatement grant, PreparedStatement release, String agent) {
    }

    /**
     * Grants a free lock row (holder, a fencing token from the service's sequence, lease, reason, instants) and appends
     * its {@code lock.acquired} event in one statement; no row when the row is not free. Parameters: holder,
     * leaseSeconds, reason, acquiredAt, expiresAt, entity id, occurredAt, agent, event data (JSON).
     */
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

    /**
     * Frees a lock row its live holder releases (no unlock request made) and appends {@code lock.released} with the
     * grant as it ended, in one statement; no row otherwise. Parameters: entity id, holder, now, occurredAt.
     */
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

    /** The goal's baseline: {@link #GRANT_IF_FREE} and {@link #RELEASE_IF_HELD} on connections of their own. */
    static List<RawClient> rawClients(String jdbc, int clients, String env) throws Exception {
        List<RawClient> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Connection c = DriverManager.getConnection(jdbc, "postgres", "");
            all.add(new RawClient(c, c.prepareStatement(GRANT_IF_FREE), c.prepareStatement(RELEASE_IF_HELD), env + "-raw" + i));
        }
        return all;
    }

    /** The lock rows of the run's entities: the HTTP warm-up created them. */
    static List<Long> lockedEntities(String jdbc, String env) throws Exception {
        List<Long> entityIds = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement s = c.prepareStatement("select entity_id from entity_lock where environment = ?")) {
            s.setString(1, env);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) entityIds.add(rs.getLong(1));
            }
        }
        return entityIds;
    }

    /** One raw slice: each client cycles its two statements on random lock rows. */
    static Result raw(List<RawClient> clients, List<Long> entityIds, int seconds) throws Exception {
        return measure(clients.size(), seconds, (index, phase) -> {
            RawClient client = clients.get(index);
            PreparedStatement g = client.grant(), r = client.release();
            String agent = client.agent();
            cycle(phase, new Cycle<SqlHold>() {
                @Override
                public SqlHold acquire() throws Exception {
                    long entity = entityIds.get(ThreadLocalRandom.current().nextInt(entityIds.size()));
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    OffsetDateTime expires = now.plusSeconds(60);
                    String data = "{\"holder\":\"" + agent + "\",\"leaseSeconds\":60,\"acquiredAt\":\""
                            + now.toInstant() + "\",\"expiresAt\":\"" + expires.toInstant() + "\"}";
                    Object[] args = {agent, 60, null, now, expires, entity, now, agent, data};
                    for (int k = 0; k < args.length; k++) g.setObject(k + 1, args[k]);
                    SqlHold held = null;
                    try (ResultSet rs = g.executeQuery()) {
                        if (rs.next()) held = new SqlHold(entity, now);
                    }
                    return held;
                }

                @Override
                public void release(SqlHold held) throws Exception {
                    r.setLong(1, held.entity());
                    r.setString(2, agent);
                    r.setObject(3, held.at());
                    r.setObject(4, held.at());
                    try (ResultSet rs = r.executeQuery()) {
                        if (!rs.next()) throw new IllegalStateException("raw: the release freed nothing");
                    }
                }
            });
        });
    }

    static long[] merge(List<long[]> parts) {
        long[] all = parts.stream().flatMapToLong(Arrays::stream).toArray();
        Arrays.sort(all);
        return all;
    }

    /** An HTTP answer: its status and body. */
    record Answer(int status, String body) {
    }

    static Future<Answer> call(HttpClient http, String token, HttpMethod method, String path, String body) {
        return http.request(method, path)
                .compose(request -> {
                    request.putHeader("Authorization", "Bearer " + token);
                    if (body == null) {
                        return request.send();
                    }
                    return request.putHeader("Content-Type", "application/json").send(body);
                })
                .compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())));
    }

    static String send(HttpClient http, String token, String method, String path, String body, int expect) throws Exception {
        Answer answer = call(http, token, HttpMethod.valueOf(method), path, body).toCompletionStage().toCompletableFuture().get();
        if (answer.status() != expect) {
            throw new IllegalStateException(method + " " + path + ": " + answer);
        }
        return answer.body();
    }
}
