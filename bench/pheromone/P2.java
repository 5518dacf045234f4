import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * P2: deposits per second through HTTP with 32 concurrent clients, beside a raw INSERT … RETURNING of the
 * same row shape from the same process, in the same run: the measured time is cut into slices, each an HTTP part
 * then a raw part.
 * Usage: java -cp postgresql.jar P2.java <baseUrl> <adminToken> <jdbcUrl> <seconds> [warm-up seconds] [slices]
 */
public class P2 {

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
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String run = Long.toString(System.currentTimeMillis(), 36);
        String env = "p2-" + run;
        send(http, "POST", base + "/environments", admin, "{\"name\":\"" + env + "\"}", 201);
        for (int i = 0; i < ENTITIES; i++) {
            send(http, "PUT", base + "/entities/job/P2-" + run + "-" + i, admin,
                    "{\"environment\":\"" + env + "\",\"title\":\"p2\"}", 201);
        }
        List<String> tokens = new ArrayList<>();
        Pattern token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
        for (int c = 0; c < CLIENTS; c++) {
            String body = send(http, "POST", base + "/agents", admin,
                    "{\"id\":\"p2-" + run + "-" + c + "\",\"displayName\":\"p2\",\"roles\":[\"agent\"]}", 201);
            Matcher m = token.matcher(body);
            m.find();
            tokens.add(m.group(1));
        }
        // warm-up, then the measured run: HTTP and raw slices in turn, so that a shared VM's speed drifting within
        // the run (the raw insert alone has carried 2 811-6 167/s within an hour) weighs on both sides alike
        measure(warmUp, c -> deposit(http, base, tokens.get(c), run));
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
            double httpRate = httpSlices.add(measure(seconds / slices, c -> deposit(http, base, tokens.get(c), run)));
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
        double bareRate = measure(seconds / slices, c -> raw(bare[c], ids, env, "bare-" + run + "-" + c));
        close(bare);
        System.out.printf("P2 raw INSERT ... RETURNING/s without triggers (session_replication_role = replica): %.0f%n", bareRate);
        // epoch milliseconds of each measured slice, for p2.sh to attribute CPU time to it
        httpSlices.phases.forEach(System.out::println);
        rawSlices.phases.forEach(System.out::println);
        System.out.printf("P2 ratio: %.1f %% of raw, %.1f %% of the trigger-less insert (goal >= 50 %% of raw)%n",
                100 * httpRate / rawRate, 100 * httpRate / bareRate);
        System.exit(0);
    }

    /** The slices of one side of the run: what {@link #measure} counted in each, summed. */
    static final class Slices {
        final String name;
        final List<String> phases = new ArrayList<>();
        long count, millis;

        Slices(String name) {
            this.name = name;
        }

        /** Adds the last {@link #measure} run, whose rate is {@code rate}, and answers that rate. */
        double add(double rate) {
            count += measuredCount;
            millis += measuredTo - measuredFrom;
            phases.add(String.format("phase %s %d %d %d", name, measuredFrom, measuredTo, measuredCount));
            return rate;
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

    /** Epoch milliseconds of the last {@link #measure} run's start and end, and the operations it counted. */
    static long measuredFrom, measuredTo, measuredCount;

    static double measure(int seconds, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        measuredFrom = System.currentTimeMillis();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        List<Future<Long>> counts = new ArrayList<>();
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
        for (Future<Long> f : counts) {
            total += f.get();
        }
        pool.shutdown();
        measuredTo = System.currentTimeMillis();
        measuredCount = total;
        return total / ((System.nanoTime() - start) / 1e9);
    }

    static final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();

    static void raw(PreparedStatement insert, List<Long> ids, String env, String agent) throws Exception {
        insert.setLong(1, ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
        insert.setString(2, env);
        insert.setString(3, agent + "-" + seq.incrementAndGet());
        try (ResultSet r = insert.executeQuery()) {
            r.next();
        }
    }

    static void deposit(HttpClient http, String base, String token, String run) throws Exception {
        int e = ThreadLocalRandom.current().nextInt(ENTITIES);
        int status = http.send(HttpRequest.newBuilder(URI.create(base + "/entities/job/P2-" + run + "-" + e + "/pheromones"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"saturation\",\"intensity\":1.0}")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200 && status != 201) {
            throw new IllegalStateException("deposit answered " + status);
        }
    }

    static String send(HttpClient http, String method, String url, String token, String body, int expected) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
