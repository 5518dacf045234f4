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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P2: deposits per second through HTTP with 32 concurrent clients, beside a raw INSERT … RETURNING of the
 * same row shape from the same process, in the same run: the measured time is cut into slices, each an HTTP part
 * then a raw part.
 * The HTTP clients are Vert.x's, 32 closed loops on one event loop: the load generator shares the machine's cores
 * with the service and PostgreSQL, and the JDK's HttpClient took about 0.17 ms of CPU per deposit, two thirds of
 * what the service itself spends.
 * Usage: java -cp 'target/quarkus-app/lib/main/*' P2DepositBench.java <baseUrl> <adminToken> <jdbcUrl> <seconds> [warm-up seconds] [slices]
 */
public class P2DepositBench {

    static final int CLIENTS = 32;
    static final int ENTITIES = 1000;

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the measuring pools' threads would keep the JVM and its connections alive
        }
    }

    static void run(String[] args) throws Exception {
        String base = args[0], admin = args[1], jdbc = args[2];
        int seconds = Integer.parseInt(args[3]);
        // the service's JIT compiles for well over 2 s under this load: measure its steady state, not its warm-up
        int warmUp = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        int slices = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        URI uri = URI.create(base);
        HttpClient http = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)).createHttpClient(
                new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()),
                new PoolOptions().setHttp1MaxSize(CLIENTS));
        String run = Long.toString(System.currentTimeMillis(), 36);
        String env = "p2-" + run;
        send(http, "POST", "/environments", admin, "{\"name\":\"" + env + "\"}", 201);
        for (int i = 0; i < ENTITIES; i++) {
            send(http, "PUT", "/entities/job/P2-" + run + "-" + i, admin,
                    "{\"environment\":\"" + env + "\",\"title\":\"p2\"}", 201);
        }
        List<String> tokens = new ArrayList<>();
        Pattern token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
        for (int c = 0; c < CLIENTS; c++) {
            String body = send(http, "POST", "/agents", admin,
                    "{\"id\":\"p2-" + run + "-" + c + "\",\"displayName\":\"p2\",\"roles\":[\"agent\"]}", 201);
            Matcher m = token.matcher(body);
            m.find();
            tokens.add(m.group(1));
        }
        // warm-up, then the measured run: HTTP and raw slices in turn, so that a shared VM's speed drifting within
        // the run (the raw insert alone has carried 2 811-6 167/s within an hour) weighs on both sides alike
        measureAsync(warmUp, c -> deposit(http, tokens.get(c), run));
        List<Long> ids = new ArrayList<>();
        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement q = db.prepareStatement("select id from entity where environment = ?")) {
            q.setString(1, env);
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
        }
        // the raw row as the schema stores it (V55's aggregate trigger included), one connection per client
        PreparedStatement[] inserts = rawInserts(jdbc, false);
        String rawAgent = "raw-" + run;
        measure(2, c -> raw(inserts[c], ids, env, rawAgent + "-w-" + c));
        Slices httpSlices = new Slices("http"), rawSlices = new Slices("raw");
        for (int slice = 1; slice <= slices; slice++) {
            double httpRate = httpSlices.add(measureAsync(seconds / slices, c -> deposit(http, tokens.get(c), run)));
            double rawRate = rawSlices.add(measure(seconds / slices, c -> raw(inserts[c], ids, env, rawAgent + "-" + c)));
            System.out.printf("slice %d: HTTP %.0f deposits/s, raw %.0f/s, %.1f %%%n", slice, httpRate, rawRate,
                    100 * httpRate / rawRate);
        }
        close(inserts);
        double httpRate = httpSlices.rate(), rawRate = rawSlices.rate();
        System.out.printf("P2 HTTP deposits/s (32 clients, %d s in %d slices): %.0f%n", seconds, slices, httpRate);
        System.out.printf("P2 raw INSERT ... RETURNING/s (32 threads, same process, slices between them): %.0f%n", rawRate);
        // the bare insert without triggers, for scale
        PreparedStatement[] bare = rawInserts(jdbc, true);
        measure(2, c -> raw(bare[c], ids, env, "bare-" + run + "-w-" + c));
        double bareRate = measure(seconds / slices, c -> raw(bare[c], ids, env, "bare-" + run + "-" + c)).rate();
        close(bare);
        System.out.printf("P2 raw INSERT ... RETURNING/s without triggers (session_replication_role = replica): %.0f%n", bareRate);
        // epoch milliseconds of each measured slice, for run.sh to attribute CPU time to it
        httpSlices.phases.forEach(System.out::println);
        rawSlices.phases.forEach(System.out::println);
        System.out.printf("P2 ratio: %.1f %% of raw, %.1f %% of the trigger-less insert (goal >= 50 %% of raw)%n",
                100 * httpRate / rawRate, 100 * httpRate / bareRate);
        System.exit(0);
    }

    /** One {@link #measure} run: its start and end (epoch milliseconds) and the operations it counted. */
    record Measured(long from, long to, long count) {
        double rate() {
            return count * 1000.0 / (to - from);
        }
    }

    /** The slices of one side of the run: what {@link #measure} counted in each, summed. */
    static final class Slices {
        final String name;
        final List<String> phases = new ArrayList<>();
        long count, millis;

        Slices(String name) {
            this.name = name;
        }

        /** Adds one slice and answers its rate. */
        double add(Measured slice) {
            count += slice.count();
            millis += slice.to() - slice.from();
            phases.add(String.format("phase %s %d %d %d", name, slice.from(), slice.to(), slice.count()));
            return slice.rate();
        }

        double rate() {
            return count * 1000.0 / millis;
        }
    }

    /** One connection per client (the database's connection slots are shared: close them with {@link #close}). */
    static PreparedStatement[] rawInserts(String jdbc, boolean withoutTriggers) {
        PreparedStatement[] inserts = new PreparedStatement[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            inserts[c] = rawInsert(jdbc, withoutTriggers);
        }
        return inserts;
    }

    static void close(PreparedStatement[] inserts) throws Exception {
        for (PreparedStatement insert : inserts) {
            insert.getConnection().close();
        }
    }

    static PreparedStatement rawInsert(String jdbc, boolean withoutTriggers) {
        try {
            Connection db = DriverManager.getConnection(jdbc, "postgres", "");
            if (withoutTriggers) {
                db.createStatement().execute("set session_replication_role = replica");
            }
            return db.prepareStatement("""
                    insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity,
                                           deposited_at, created_at, half_life_seconds, visible_until, rank_key)
                    values (?, 'job', 'raw', ?, 'saturation', ?, 1.0, now(), now(), 1800,
                            now() + interval '2 hours', 0) returning id""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    interface Op {
        void run(int client) throws Exception;
    }

    static Measured measure(int seconds, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long from = System.currentTimeMillis();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<java.util.concurrent.Future<Long>> counts = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            counts.add(pool.submit(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    op.run(client);
                    n++;
                }
                return n;
            }));
        }
        long total = 0;
        for (java.util.concurrent.Future<Long> f : counts) {
            total += f.get();
        }
        pool.shutdown();
        return new Measured(from, System.currentTimeMillis(), total);
    }

    interface AsyncOp {
        Future<?> run(int client);
    }

    /** {@link #measure} for operations that answer a future: each client issues its next one when the last ends. */
    static Measured measureAsync(int seconds, AsyncOp op) throws Exception {
        long from = System.currentTimeMillis();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicLong total = new AtomicLong();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            loop(op, c, end, total, failures, done);
        }
        done.await();
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0));
        }
        return new Measured(from, System.currentTimeMillis(), total.get());
    }

    static void loop(AsyncOp op, int client, long end, AtomicLong total, List<Throwable> failures, CountDownLatch done) {
        op.run(client).onComplete(r -> {
            if (r.failed()) {
                failures.add(r.cause());
                done.countDown();
            } else {
                total.incrementAndGet();
                if (System.nanoTime() < end) {
                    loop(op, client, end, total, failures, done);
                } else {
                    done.countDown();
                }
            }
        });
    }

    static final AtomicLong seq = new AtomicLong();

    static void raw(PreparedStatement insert, List<Long> ids, String env, String agent) throws Exception {
        insert.setLong(1, ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
        insert.setString(2, env);
        insert.setString(3, agent + "-" + seq.incrementAndGet());
        try (ResultSet r = insert.executeQuery()) {
            r.next();
        }
    }

    static final Buffer DEPOSIT = Buffer.buffer("{\"type\":\"saturation\",\"intensity\":1.0}");

    static Future<Void> deposit(HttpClient http, String token, String run) {
        int e = ThreadLocalRandom.current().nextInt(ENTITIES);
        return http.request(HttpMethod.POST, "/entities/job/P2-" + run + "-" + e + "/pheromones")
                .compose(request -> request.putHeader("Authorization", "Bearer " + token)
                        .putHeader("Content-Type", "application/json").send(DEPOSIT))
                .compose(response -> response.statusCode() == 200 || response.statusCode() == 201
                        ? response.end() : Future.failedFuture("deposit answered " + response.statusCode()));
    }

    static String send(HttpClient http, String method, String path, String token, String body, int expected) throws Exception {
        return http.request(HttpMethod.valueOf(method), path)
                .compose(request -> request.putHeader("Authorization", "Bearer " + token)
                        .putHeader("Content-Type", "application/json").send(body))
                .compose(response -> response.body().compose(b -> response.statusCode() == expected
                        ? Future.succeededFuture(b.toString())
                        : Future.failedFuture(method + " " + path + " answered " + response.statusCode() + ": " + b)))
                .toCompletionStage().toCompletableFuture().get();
    }
}
