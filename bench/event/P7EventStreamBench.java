import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark P7 (issue 6): two replicas, subscribers spread over both, events written through both at a fixed
 * rate; reports delivery latency (occurredAt of the event, stamped before its commit, to its arrival on a
 * stream) p50/p99/max, the same from the event's commit when PostgreSQL tracks commit timestamps, and lost and
 * duplicated deliveries per subscriber. Writes and streams go through Vert.x's HTTP client, all on one event loop:
 * the generator shares the 2 cores with the replicas, and the JDK's HttpClient (a thread per write in flight)
 * with a reader thread per subscriber took 0.29 of them at 500 writes/s (now 0.18).
 * {@code java -cp 'target/quarkus-app/lib/main/*' P7EventStreamBench.java <urlA> <urlB> <adminToken> <seconds> <eventsPerSecond> <subscribers> [jdbcUrl]};
 * see run.sh.
 */
public class P7EventStreamBench {

    /**
     * One subscriber's deliveries in primitive arrays: the generator shares the 2 cores and its collector with the
     * replicas, and 300,000 boxed records made its own GC pauses part of the measured latency.
     */
    static final class Deliveries {
        private long[] ids = new long[1 << 16];
        private long[] latencyMicros = new long[1 << 16];
        private long[] receivedMicros = new long[1 << 16];
        private int size;

        synchronized void add(long id, long micros, long epochMicros) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                latencyMicros = Arrays.copyOf(latencyMicros, size * 2);
                receivedMicros = Arrays.copyOf(receivedMicros, size * 2);
            }
            ids[size] = id;
            latencyMicros[size] = micros;
            receivedMicros[size++] = epochMicros;
        }

        synchronized int size() {
            return size;
        }
    }

    /** JDBC URL of the replicas' database, to read commit timestamps from; {@code null} to skip that figure. */
    private static String database;

    public static void main(String[] args) throws Exception {
        String[] urls = {args[0], args[1]};
        String token = args[2];
        int seconds = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        int subscriberCount = Integer.parseInt(args[5]);
        database = args.length > 6 ? args[6] : null;
        // at most 32 writes in flight, 16 connections to each replica, queued in order beyond that (open loop)
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
        // the same run, unmeasured, on an environment of its own first: the replicas' JIT compiles the write and
        // stream paths for well over the first ten seconds, and those seconds would dominate the p99
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "60"));
        if (warmUp > 0) {
            System.out.printf("warm-up, %d s, not measured:%n", warmUp);
            run(vertx, http, urls, token, warmUp, rate, subscriberCount);
            System.out.println("measured:");
        }
        run(vertx, http, urls, token, seconds, rate, subscriberCount);
        System.exit(0);
    }

    private static void run(Vertx vertx, HttpClient http, String[] urls, String token, int seconds, int rate, int subscriberCount)
            throws Exception {
        String env = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        send(http, urls[0], token, "POST", "/environments", "{\"name\":\"" + env + "\"}");
        int keys = 100;
        for (int k = 0; k < keys; k++) {
            send(http, urls[k % 2], token, "PUT", "/entities/job/" + env + "-" + k, "{\"environment\":\"" + env + "\",\"title\":\"t\"}");
        }

        List<Deliveries> received = new ArrayList<>();
        // a client of their own: each stream holds its connection for the whole run
        HttpClient streams = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(subscriberCount));
        List<Future<Void>> subscribed = new ArrayList<>();
        for (int s = 0; s < subscriberCount; s++) {
            Deliveries deliveries = new Deliveries();
            received.add(deliveries);
            subscribed.add(subscribe(streams, urls[s % 2], "/events/stream?environment=" + env + "&types=entity.updated",
                    token, deliveries));
        }
        for (Future<Void> f : subscribed) {
            f.toCompletionStage().toCompletableFuture().get();
        }

        AtomicInteger written = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        int perTick = Math.max(1, rate / 100);
        AtomicInteger n = new AtomicInteger();
        List<Future<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        List<Long> writeMicros = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.now();
        ticker.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int m = n.getAndIncrement();
                long sentAt = System.nanoTime();
                inFlight.add(call(http, urls[m % 2], token, HttpMethod.PUT, "/entities/job/" + env + "-" + (m % keys),
                        "{\"environment\":\"" + env + "\",\"title\":\"t" + m + "\"}").onComplete(r -> {
                    if (r.succeeded() && r.result() == 200) {
                        written.incrementAndGet();
                    } else if (failed.incrementAndGet() <= 3) {
                        System.err.println("write failed: " + (r.succeeded() ? r.result() : r.cause()));
                    }
                    writeMicros.add((System.nanoTime() - sentAt) / 1000);
                }));
            }
        }, 0, perTick * 1_000_000L / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        // every write answered (failures are counted above)
        Future.join(new ArrayList<>(inFlight)).otherwiseEmpty().toCompletionStage().toCompletableFuture().get();
        double elapsed = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        int expected = written.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && received.stream().anyMatch(d -> d.size() < expected)) {
            Thread.sleep(50);
        }

        Map<Long, long[]> committed = commitTimes(env);
        List<Long> latencies = new ArrayList<>();
        List<Long> sinceCommit = new ArrayList<>();
        // the subscriber on the replica the event was written through, or on the other one (its NOTIFY hop)
        List<Long> sameReplica = new ArrayList<>();
        List<Long> otherReplica = new ArrayList<>();
        // per event, its first and its last delivery since commit: the first shows the service's path alone,
        // the spread to the last one the fan-out to 20 connections and the subscribers' own threads
        Map<Long, long[]> firstAndLast = new HashMap<>();
        int lost = 0;
        int duplicated = 0;
        for (int s = 0; s < received.size(); s++) {
            Deliveries deliveries = received.get(s);
            Set<Long> ids = new HashSet<>();
            synchronized (deliveries) {
                for (int k = 0; k < deliveries.size; k++) {
                    if (!ids.add(deliveries.ids[k])) {
                        duplicated++;
                    }
                    latencies.add(deliveries.latencyMicros[k]);
                    long[] commit = committed.get(deliveries.ids[k]);
                    if (commit != null) {
                        long micros = deliveries.receivedMicros[k] - commit[0];
                        sinceCommit.add(micros);
                        (commit[1] == s % 2 ? sameReplica : otherReplica).add(micros);
                        long[] range = firstAndLast.computeIfAbsent(deliveries.ids[k], x -> new long[]{micros, micros});
                        range[0] = Math.min(range[0], micros);
                        range[1] = Math.max(range[1], micros);
                    }
                }
            }
            lost += Math.max(0, expected - ids.size());
        }
        Collections.sort(latencies);
        System.out.printf("written %d events in %.1f s (%.0f/s requested %d/s), %d failed writes%n",
                expected, elapsed, expected / elapsed, rate, failed.get());
        System.out.printf("subscribers %d (half on each replica), deliveries %d%n", subscriberCount, latencies.size());
        System.out.printf("latency occurredAt->received: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                pct(latencies, 50) / 1000.0, pct(latencies, 99) / 1000.0,
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1) / 1000.0);
        if (committed.isEmpty()) {
            System.out.println("latency commit->received: not measured (needs the database URL and track_commit_timestamp = on)");
        } else {
            Collections.sort(sinceCommit);
            System.out.printf("latency commit->received: p50 %.1f ms, p99 %.1f ms, max %.1f ms (%d deliveries with a commit timestamp)%n",
                    pct(sinceCommit, 50) / 1000.0, pct(sinceCommit, 99) / 1000.0,
                    sinceCommit.get(sinceCommit.size() - 1) / 1000.0, sinceCommit.size());
            List<Long> first = new ArrayList<>();
            List<Long> last = new ArrayList<>();
            firstAndLast.values().forEach(range -> {
                first.add(range[0]);
                last.add(range[1]);
            });
            Collections.sort(first);
            Collections.sort(last);
            System.out.printf("  per event, first subscriber to receive it: p50 %.1f ms, p99 %.1f ms; last: p50 %.1f ms, p99 %.1f ms%n",
                    pct(first, 50) / 1000.0, pct(first, 99) / 1000.0, pct(last, 50) / 1000.0, pct(last, 99) / 1000.0);
            Collections.sort(sameReplica);
            Collections.sort(otherReplica);
            System.out.printf("  subscriber on the writing replica: p50 %.1f ms, p99 %.1f ms; on the other: p50 %.1f ms, p99 %.1f ms%n",
                    pct(sameReplica, 50) / 1000.0, pct(sameReplica, 99) / 1000.0, pct(otherReplica, 50) / 1000.0,
                    pct(otherReplica, 99) / 1000.0);
        }
        System.out.printf("lost %d, duplicated %d%n", lost, duplicated);
        List<Long> writes = new ArrayList<>(writeMicros);
        Collections.sort(writes);
        System.out.printf("baseline, same run: write request round trip p50 %.1f ms, p99 %.1f ms%n",
                pct(writes, 50) / 1000.0, pct(writes, 99) / 1000.0);
        streams.close().toCompletionStage().toCompletableFuture().get();
    }

    /**
     * Commit instant (epoch µs) of each event of the run, from PostgreSQL's commit timestamps: the goal's
     * "commit", where occurredAt is stamped when the write starts; with it, the replica it was written through. Empty when no database was given or the server
     * does not track commit timestamps.
     */
    private static Map<Long, long[]> commitTimes(String env) throws Exception {
        Map<Long, long[]> times = new HashMap<>();
        if (database == null) {
            return times;
        }
        try (Connection c = DriverManager.getConnection(database, "postgres", "")) {
            try (ResultSet on = c.createStatement().executeQuery("show track_commit_timestamp")) {
                if (!on.next() || !"on".equals(on.getString(1))) {
                    return times;
                }
            }
            try (PreparedStatement read = c.prepareStatement("""
                    select id, (extract(epoch from pg_xact_commit_timestamp(xmin)) * 1000000)::bigint, entity
                    from event where environment = ? and type = 'entity.updated'""")) {
                read.setString(1, env);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        // job/<env>-<k> is written through replica k % 2: write m goes to replica m % 2, key m % 100
                        String entity = rows.getString(3);
                        int k = Integer.parseInt(entity.substring(entity.lastIndexOf('-') + 1));
                        times.put(rows.getLong(1), new long[]{rows.getLong(2), k % 2});
                    }
                }
            }
        }
        return times;
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /**
     * Opens a stream and records each event it delivers; answers once the service answered 200, so that the
     * subscription exists before the first write.
     */
    private static Future<Void> subscribe(HttpClient http, String base, String path, String token, Deliveries deliveries) {
        URI uri = URI.create(base);
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(uri.getPort())
                        .setURI(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream"))
                .compose(request -> request.send())
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("stream answered " + response.statusCode());
                    }
                    response.handler(RecordParser.newDelimited("\n", line -> record(line.toString(), deliveries)));
                    response.exceptionHandler(closed -> { }); // closed at the end of the run
                    return Future.succeededFuture();
                });
    }

    private static void record(String line, Deliveries deliveries) {
        if (!line.startsWith("data:")) {
            return;
        }
        Instant now = Instant.now();
        int id = line.indexOf("\"id\":");
        int at = line.indexOf("\"occurredAt\":\"");
        if (id >= 0 && at >= 0) {
            int idEnd = line.indexOf(',', id);
            int atStart = at + "\"occurredAt\":\"".length();
            Instant occurred = Instant.parse(line.substring(atStart, line.indexOf('"', atStart)));
            deliveries.add(Long.parseLong(line.substring(id + 5, idEnd)), Duration.between(occurred, now).toNanos() / 1000,
                    now.getEpochSecond() * 1_000_000 + now.getNano() / 1000);
        }
    }

    /** A request's status; the body is read and dropped. */
    private static Future<Integer> call(HttpClient http, String base, String token, HttpMethod method, String path, String json) {
        URI uri = URI.create(base);
        return http.request(new RequestOptions().setMethod(method).setHost(uri.getHost()).setPort(uri.getPort()).setURI(path)
                        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(json))
                .compose(response -> response.end().map(done -> response.statusCode()));
    }

    private static void send(HttpClient http, String base, String token, String method, String path, String json) throws Exception {
        int status = call(http, base, token, HttpMethod.valueOf(method), path, json).toCompletionStage().toCompletableFuture().get();
        if (status >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + status);
        }
    }
}
