import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Benchmark P7 (issue 6): two replicas, subscribers spread over both, events written through both at a fixed
 * rate; reports delivery latency (occurredAt of the event, stamped before its commit, to its arrival on a
 * stream) p50/p99/max, the same from the event's commit when PostgreSQL tracks commit timestamps, and lost and
 * duplicated deliveries per subscriber. JDK and the PostgreSQL driver:
 * {@code java -cp <driver> P7.java <urlA> <urlB> <adminToken> <seconds> <eventsPerSecond> <subscribers> [jdbcUrl]};
 * see run.sh.
 */
public class P7 {

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
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(16)).build();
        // the same run, unmeasured, on an environment of its own first: the replicas' JIT compiles the write and
        // stream paths for well over the first ten seconds, and those seconds would dominate the p99
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "30"));
        if (warmUp > 0) {
            System.out.printf("warm-up, %d s, not measured:%n", warmUp);
            run(http, urls, token, warmUp, rate, subscriberCount);
            System.out.println("measured:");
        }
        run(http, urls, token, seconds, rate, subscriberCount);
        System.exit(0);
    }

    private static void run(HttpClient http, String[] urls, String token, int seconds, int rate, int subscriberCount)
            throws Exception {
        String env = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        send(http, urls[0], token, "POST", "/environments", "{\"name\":\"" + env + "\"}");
        int keys = 100;
        for (int k = 0; k < keys; k++) {
            send(http, urls[k % 2], token, "PUT", "/entities/job/" + env + "-" + k, "{\"environment\":\"" + env + "\",\"title\":\"t\"}");
        }

        List<Deliveries> received = new ArrayList<>();
        List<Socket> streams = new ArrayList<>();
        for (int s = 0; s < subscriberCount; s++) {
            Deliveries deliveries = new Deliveries();
            received.add(deliveries);
            Socket socket = new Socket();
            InputStream body = openStream(socket, urls[s % 2], "/events/stream?environment=" + env + "&types=entity.updated", token);
            streams.add(socket);
            Thread reader = new Thread(() -> read(body, deliveries), "subscriber-" + s);
            reader.setDaemon(true);
            reader.start();
        }

        AtomicInteger written = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // at most 32 writes in flight, each on a connection of its own, queued in order beyond that (open loop):
        // with one asynchronous request per tick the client's connection pool grew to hundreds of idle
        // connections, and its linear scan of them took a third of the generator's CPU on the shared cores
        ExecutorService writers = Executors.newFixedThreadPool(32);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        int perTick = Math.max(1, rate / 100);
        AtomicInteger n = new AtomicInteger();
        List<Long> writeMicros = Collections.synchronizedList(new ArrayList<>());
        Instant start = Instant.now();
        ticker.scheduleAtFixedRate(() -> {
            for (int i = 0; i < perTick; i++) {
                int m = n.getAndIncrement();
                HttpRequest put = HttpRequest.newBuilder(URI.create(urls[m % 2] + "/entities/job/" + env + "-" + (m % keys)))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"environment\":\"" + env + "\",\"title\":\"t" + m + "\"}")).build();
                long sentAt = System.nanoTime();
                writers.execute(() -> {
                    try {
                        HttpResponse<String> r = http.send(put, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            written.incrementAndGet();
                        } else if (failed.incrementAndGet() <= 3) {
                            System.err.println("write failed: " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        if (failed.incrementAndGet() <= 3) {
                            System.err.println("write failed: " + e);
                        }
                    }
                    writeMicros.add((System.nanoTime() - sentAt) / 1000);
                });
            }
        }, 0, perTick * 1_000_000L / rate, TimeUnit.MICROSECONDS);
        Thread.sleep(seconds * 1000L);
        ticker.shutdownNow();
        writers.shutdown();
        writers.awaitTermination(10, TimeUnit.MINUTES);
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
        streams.forEach(s -> {
            try {
                s.close();
            } catch (Exception ignored) {
                // closing
            }
        });
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
     * Opens a stream over a plain socket and answers its body, chunked transfer coding removed, once the service
     * answered 200 (so the subscription exists before the first write). The JDK's HTTP client spent more CPU per
     * line than the replicas spent sending it, on the cores they share.
     */
    private static InputStream openStream(Socket socket, String base, String path, String token) throws Exception {
        URI uri = URI.create(base);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
        socket.setTcpNoDelay(true);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        String status = asciiLine(in);
        if (!status.contains(" 200 ")) {
            throw new IllegalStateException("stream answered " + status);
        }
        boolean chunked = false;
        for (String header = asciiLine(in); !header.isEmpty(); header = asciiLine(in)) {
            chunked |= header.toLowerCase().startsWith("transfer-encoding:") && header.toLowerCase().contains("chunked");
        }
        return chunked ? new Dechunked(in) : in;
    }

    private static String asciiLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("stream ended");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** The body of a chunked HTTP/1.1 response. */
    private static final class Dechunked extends InputStream {
        private final InputStream in;
        private int left;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (left == 0) {
                String size = asciiLine(in);
                if (size.isEmpty()) {
                    size = asciiLine(in); // the CRLF closing the previous chunk
                }
                int semicolon = size.indexOf(';');
                left = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
                if (left == 0) {
                    return -1;
                }
            }
            int n = in.read(buffer, offset, Math.min(length, left));
            if (n < 0) {
                throw new EOFException("stream ended inside a chunk");
            }
            left -= n;
            return n;
        }
    }

    private static void read(InputStream body, Deliveries deliveries) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data:")) {
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
            }
        } catch (Exception closed) {
            // stream closed at the end
        }
    }

    private static void send(HttpClient http, String base, String token, String method, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build();
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + status);
        }
    }
}
