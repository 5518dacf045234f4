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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ten times the agents (issue 29): on one replica, AGENTS registered agents, STREAMS of them holding an event stream
 * open, and every agent heartbeating so that the replica takes HEARTBEATS per second. Reports
 * <ul>
 *   <li>heap per stream: the replica's heap in use right after a forced GC ({@code jcmd GC.run}, then its
 *       {@code jvm_memory_used_bytes}), with the streams open minus before they opened, divided by their number;</li>
 *   <li>CPU per heartbeat: the replica's and the database's CPU time ({@code /proc/<pid>/stat}, the database's
 *       backends found as the postmaster's children) over a phase of heartbeats alone, less the same length idle
 *       with the streams open, divided by the heartbeats answered;</li>
 *   <li>delivery p50/p99/max, lost and duplicated, as P7 measures them (occurredAt of an {@code entity.updated}
 *       event, stamped before its commit, to its arrival on each stream), while the heartbeats go on and
 *       EVENTS entity updates a second are written; every stream reads the environment's {@code entity.updated};</li>
 *   <li>the dashboard's first page of agents and the public {@code GET /agents} at that size: bytes and time.</li>
 * </ul>
 * Everything goes through Vert.x's HTTP client on one event loop, as in P7: the generator shares the cores.
 * {@code java -cp 'target/quarkus-app/lib/main/*' S2TenfoldBench.java <url> <adminToken> <servicePid> <postmasterPid>
 * <agents> <streams> <heartbeatsPerSecond> <eventsPerSecond> <phaseSeconds> <outDir>}; see tenfold.sh.
 */
public class S2TenfoldBench {

    static final class Deliveries {
        private long[] ids = new long[1 << 12];
        private long[] latencyMicros = new long[1 << 12];
        private int size;

        synchronized void add(long id, long micros) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                latencyMicros = Arrays.copyOf(latencyMicros, size * 2);
            }
            ids[size] = id;
            latencyMicros[size++] = micros;
        }
    }

    static final List<String> report = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String admin = args[1];
        String servicePid = args[2];
        String postmasterPid = args[3];
        int agentCount = Integer.parseInt(args[4]);
        int streamCount = Integer.parseInt(args[5]);
        int heartbeatRate = Integer.parseInt(args[6]);
        int eventRate = Integer.parseInt(args[7]);
        int phase = Integer.parseInt(args[8]);
        Path out = Path.of(args[9]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(32));
        String run = "s2-" + UUID.randomUUID().toString().substring(0, 8);
        String env = run;
        send(http, url, admin, "POST", "/environments", "{\"name\":\"" + env + "\"}");
        int keys = 50;
        for (int k = 0; k < keys; k++) {
            send(http, url, admin, "PUT", "/entities/job/" + env + "-" + k, "{\"environment\":\"" + env + "\",\"title\":\"t\"}");
        }

        // 2,000 agents, 16 registrations in flight
        long t0 = System.nanoTime();
        String[] tokens = new String[agentCount];
        AtomicInteger next = new AtomicInteger();
        List<Future<Void>> registering = new ArrayList<>();
        for (int lane = 0; lane < 16; lane++) {
            registering.add(register(http, url, admin, run, tokens, next));
        }
        Future.all(registering).toCompletionStage().toCompletableFuture().get();
        say("registered %d agents in %.1f s", agentCount, (System.nanoTime() - t0) / 1e9);

        double heapBefore = heapAfterGc(url, servicePid);
        say("heap after GC before the streams: %.1f MB", heapBefore);

        // the streams, each with its own agent's token, on the one replica
        HttpClient streams = vertx.createHttpClient(new HttpClientOptions().setIdleTimeout(0),
                new PoolOptions().setHttp1MaxSize(streamCount));
        List<Deliveries> received = new ArrayList<>();
        List<Future<Void>> subscribed = new ArrayList<>();
        t0 = System.nanoTime();
        for (int s = 0; s < streamCount; s++) {
            Deliveries d = new Deliveries();
            received.add(d);
            subscribed.add(subscribe(streams, url, "/events/stream?environment=" + env + "&types=entity.updated", tokens[s], d));
        }
        Future.all(subscribed).toCompletionStage().toCompletableFuture().get();
        say("opened %d streams in %.1f s", streamCount, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(5000); // the streams' first heartbeats and buffers allocated before the heap is read
        double heapWith = heapAfterGc(url, servicePid);
        say("heap after GC with %d streams open: %.1f MB; per stream %.1f kB", streamCount, heapWith,
                (heapWith - heapBefore) * 1024 / streamCount);

        // idle, streams open: the baseline CPU of the phase
        long[] cpu0 = cpu(servicePid, postmasterPid);
        Thread.sleep(phase * 1000L);
        long[] cpu1 = cpu(servicePid, postmasterPid);
        say("idle %d s with the streams open: service %.2f CPU s, database %.2f CPU s", phase,
                (cpu1[0] - cpu0[0]) / 100.0, (cpu1[1] - cpu0[1]) / 100.0);

        // heartbeats alone
        Load beats = new Load(http, url, tokens, heartbeatRate);
        long[] cpu2 = cpu(servicePid, postmasterPid);
        beats.start();
        Thread.sleep(phase * 1000L);
        beats.stop();
        long[] cpu3 = cpu(servicePid, postmasterPid);
        long answered = beats.ok.get();
        double serviceMs = ((cpu3[0] - cpu2[0]) - (cpu1[0] - cpu0[0])) * 10.0 / answered;
        double databaseMs = ((cpu3[1] - cpu2[1]) - (cpu1[1] - cpu0[1])) * 10.0 / answered;
        say("heartbeats alone, %d s: %d answered (%.0f/s, asked %d/s), %d failed; round trip p50 %.1f ms, p99 %.1f ms",
                phase, answered, answered / (double) phase, heartbeatRate, beats.failed.get(), beats.pct(50), beats.pct(99));
        say("CPU per heartbeat, idle phase subtracted: service %.2f ms, database %.2f ms (service %.2f CPU s, database %.2f CPU s in all)",
                serviceMs, databaseMs, (cpu3[0] - cpu2[0]) / 100.0, (cpu3[1] - cpu2[1]) / 100.0);

        // heartbeats and entity updates; every stream reads the updates
        Load beats2 = new Load(http, url, tokens, heartbeatRate);
        beats2.start();
        AtomicInteger written = new AtomicInteger();
        AtomicInteger failedWrites = new AtomicInteger();
        AtomicInteger n = new AtomicInteger();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        List<Future<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        ticker.scheduleAtFixedRate(() -> {
            int m = n.getAndIncrement();
            inFlight.add(call(http, url, admin, HttpMethod.PUT, "/entities/job/" + env + "-" + (m % keys),
                    "{\"environment\":\"" + env + "\",\"title\":\"t" + m + "\"}").onComplete(r -> {
                if (r.succeeded() && r.result() == 200) {
                    written.incrementAndGet();
                } else if (failedWrites.incrementAndGet() <= 3) {
                    System.err.println("write failed: " + (r.succeeded() ? r.result() : r.cause()));
                }
            }));
        }, 0, 1_000_000L / eventRate, TimeUnit.MICROSECONDS);
        Thread.sleep(phase * 1000L);
        ticker.shutdownNow();
        ticker.awaitTermination(10, TimeUnit.SECONDS);
        Future.join(new ArrayList<>(inFlight)).otherwiseEmpty().toCompletionStage().toCompletableFuture().get();
        beats2.stop();
        int expected = written.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline && received.stream().anyMatch(d -> d.size < expected)) {
            Thread.sleep(100);
        }
        List<Long> latencies = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        for (Deliveries d : received) {
            Set<Long> ids = new HashSet<>();
            synchronized (d) {
                for (int k = 0; k < d.size; k++) {
                    if (!ids.add(d.ids[k])) {
                        duplicated++;
                    }
                    latencies.add(d.latencyMicros[k]);
                }
            }
            lost += Math.max(0, expected - ids.size());
        }
        Collections.sort(latencies);
        say("heartbeats %d/s and %d updates/s, %d s: %d updates written (%d failed), %d deliveries to %d streams",
                heartbeatRate, eventRate, phase, expected, failedWrites.get(), latencies.size(), streamCount);
        say("delivery occurredAt->received: p50 %.1f ms, p99 %.1f ms, max %.1f ms; lost %d, duplicated %d",
                pct(latencies, 50) / 1000.0, pct(latencies, 99) / 1000.0,
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1) / 1000.0, lost, duplicated);
        say("heartbeats meanwhile: %d answered, %d failed; round trip p50 %.1f ms, p99 %.1f ms",
                beats2.ok.get(), beats2.failed.get(), beats2.pct(50), beats2.pct(99));

        // the dashboard's Agents page and the public list at this size
        for (String path : List.of("/dashboard/api/agents?environment=" + env, "/dashboard/api/environments/" + env + "/board",
                "/agents")) {
            long start = System.nanoTime();
            int bytes = body(http, url, admin, path);
            say("GET %s: %d bytes in %.0f ms", path, bytes, (System.nanoTime() - start) / 1e6);
        }
        Files.write(out.resolve("tenfold.txt"), report);
        streams.close().toCompletionStage().toCompletableFuture().get();
        System.exit(0);
    }

    /** Heartbeats at a fixed rate, round-robin over the agents' tokens; latencies kept in microseconds. */
    static final class Load {
        final HttpClient http;
        final String url;
        final String[] tokens;
        final int rate;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final List<Long> micros = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger next = new AtomicInteger();
        final List<Future<?>> inFlight = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService ticker;

        Load(HttpClient http, String url, String[] tokens, int rate) {
            this.http = http;
            this.url = url;
            this.tokens = tokens;
            this.rate = rate;
        }

        void start() {
            ticker = Executors.newSingleThreadScheduledExecutor();
            int perTick = Math.max(1, rate / 100);
            ticker.scheduleAtFixedRate(() -> {
                for (int i = 0; i < perTick; i++) {
                    String token = tokens[Math.floorMod(next.getAndIncrement(), tokens.length)];
                    long sent = System.nanoTime();
                    inFlight.add(call(http, url, token, HttpMethod.POST, "/agents/me/heartbeat", null).onComplete(r -> {
                        micros.add((System.nanoTime() - sent) / 1000);
                        if (r.succeeded() && r.result() == 200) {
                            ok.incrementAndGet();
                        } else if (failed.incrementAndGet() <= 3) {
                            System.err.println("heartbeat failed: " + (r.succeeded() ? r.result() : r.cause()));
                        }
                    }));
                }
            }, 0, perTick * 1_000_000L / rate, TimeUnit.MICROSECONDS);
        }

        void stop() throws Exception {
            ticker.shutdownNow();
            ticker.awaitTermination(10, TimeUnit.SECONDS);
            Future.join(new ArrayList<>(inFlight)).otherwiseEmpty().toCompletionStage().toCompletableFuture().get();
        }

        double pct(int p) {
            List<Long> sorted = new ArrayList<>(micros);
            Collections.sort(sorted);
            return S2TenfoldBench.pct(sorted, p) / 1000.0;
        }
    }

    static void say(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.add(line);
    }

    static Future<Void> register(HttpClient http, String url, String admin, String run, String[] tokens, AtomicInteger next) {
        int i = next.getAndIncrement();
        if (i >= tokens.length) {
            return Future.succeededFuture();
        }
        String body = "{\"id\":\"" + run + "-" + i + "\",\"displayName\":\"Agent " + i + "\",\"roles\":[\"agent\"]}";
        URI uri = URI.create(url);
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(uri.getPort())
                        .setURI("/agents").putHeader("Authorization", "Bearer " + admin).putHeader("Content-Type", "application/json"))
                .compose(request -> request.send(body))
                .compose(response -> response.body().map(b -> {
                    if (response.statusCode() != 201) {
                        throw new IllegalStateException("registering answered " + response.statusCode() + " " + b);
                    }
                    String text = b.toString();
                    int at = text.indexOf("\"token\":\"") + 9;
                    tokens[i] = text.substring(at, text.indexOf('"', at));
                    return (Void) null;
                }))
                .compose(done -> register(http, url, admin, run, tokens, next));
    }

    /** The replica's heap in use right after a forced full GC, in MB. */
    static double heapAfterGc(String url, String pid) throws Exception {
        new ProcessBuilder("jcmd", pid, "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
        var client = java.net.http.HttpClient.newHttpClient();
        String metrics = client.send(java.net.http.HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1 << 20);
    }

    /** CPU ticks (1/100 s) used so far: {service, database}, the database being the postmaster and its children. */
    static long[] cpu(String servicePid, String postmasterPid) throws Exception {
        long service = ticks(servicePid);
        long database = ticks(postmasterPid);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String[] stat = stat(p.getFileName().toString());
                    if (stat[1].equals(postmasterPid)) {
                        database += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                    }
                } catch (Exception gone) {
                    // the process ended meanwhile
                }
            }
        }
        return new long[]{service, database};
    }

    static long ticks(String pid) throws Exception {
        String[] stat = stat(pid);
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    /** /proc/<pid>/stat after the command name: [0] state, [1] ppid, ..., [11] utime, [12] stime. */
    static String[] stat(String pid) throws Exception {
        String text = Files.readString(Path.of("/proc", pid, "stat"));
        return text.substring(text.lastIndexOf(')') + 2).split(" ");
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    static Future<Void> subscribe(HttpClient http, String base, String path, String token, Deliveries deliveries) {
        URI uri = URI.create(base);
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(uri.getPort())
                        .setURI(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream"))
                .compose(request -> request.send())
                .compose(response -> {
                    if (response.statusCode() != 200) {
                        return Future.failedFuture("stream answered " + response.statusCode());
                    }
                    response.handler(RecordParser.newDelimited("\n", line -> record(line.toString(), deliveries)));
                    response.exceptionHandler(closed -> { });
                    return Future.succeededFuture();
                });
    }

    static void record(String line, Deliveries deliveries) {
        if (!line.startsWith("data:")) {
            return;
        }
        Instant now = Instant.now();
        int id = line.indexOf("\"id\":");
        int at = line.indexOf("\"occurredAt\":\"");
        if (id >= 0 && at >= 0) {
            int atStart = at + "\"occurredAt\":\"".length();
            Instant occurred = Instant.parse(line.substring(atStart, line.indexOf('"', atStart)));
            deliveries.add(Long.parseLong(line.substring(id + 5, line.indexOf(',', id))),
                    Duration.between(occurred, now).toNanos() / 1000);
        }
    }

    static Future<Integer> call(HttpClient http, String base, String token, HttpMethod method, String path, String json) {
        URI uri = URI.create(base);
        return http.request(new RequestOptions().setMethod(method).setHost(uri.getHost()).setPort(uri.getPort()).setURI(path)
                        .putHeader("Authorization", "Bearer " + token).putHeader("Content-Type", "application/json"))
                .compose(request -> json == null ? request.send() : request.send(json))
                .compose(response -> response.end().map(done -> response.statusCode()));
    }

    static int body(HttpClient http, String base, String token, String path) throws Exception {
        URI uri = URI.create(base);
        return http.request(new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(uri.getPort())
                        .setURI(path).putHeader("Authorization", "Bearer " + token))
                .compose(request -> request.send())
                .compose(response -> response.body().map(b -> response.statusCode() == 200 ? b.length() : -response.statusCode()))
                .toCompletionStage().toCompletableFuture().get();
    }

    static void send(HttpClient http, String base, String token, String method, String path, String json) throws Exception {
        int status = call(http, base, token, HttpMethod.valueOf(method), path, json).toCompletionStage().toCompletableFuture().get();
        if (status >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + status);
        }
    }
}
