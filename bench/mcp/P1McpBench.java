import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark beside P1 (issue 25): what an MCP tool call costs against the REST call it wraps. Each of N clients
 * cycles acquire+release of the lock on its own entity (no contention: the figure is the call's cost, not the
 * lock's), alternately over REST ({@code POST} and {@code DELETE /entities/job/{key}/lock}) and over MCP
 * ({@code tools/call} of {@code acquire_lock} and {@code release_lock} on the client's session), in slices of the
 * same run on the same service.
 *
 * <pre>java -cp 'target/quarkus-app/lib/main/*' P1McpBench.java BASE_URL ADMIN_TOKEN [clients] [seconds per slice] [slices]</pre>
 */
public class P1McpBench {

    static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    record Answer(int status, String session, String body) {
    }

    record Result(long cycles, double seconds, long[] nanos) {
        double perSecond() {
            return cycles / seconds;
        }

        double percentile(int p) {
            if (nanos.length == 0) {
                return 0;
            }
            return nanos[Math.max(0, Math.min(nanos.length - 1, (int) Math.ceil(p / 100.0 * nanos.length) - 1))] / 1e6;
        }

        double meanMillis() {
            return Arrays.stream(nanos).average().orElse(0) / 1e6;
        }

        Result plus(Result o) {
            long[] all = Arrays.copyOf(nanos, nanos.length + o.nanos.length);
            System.arraycopy(o.nanos, 0, all, nanos.length, o.nanos.length);
            Arrays.sort(all);
            return new Result(cycles + o.cycles, seconds + o.seconds, all);
        }
    }

    /** One cycle of one client: acquire, then release. */
    interface Cycle {
        void run() throws Exception;
    }

    static HttpClient http;

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String admin = args[1];
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        int slices = args.length > 4 ? Integer.parseInt(args[4]) : 4;
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_SECONDS", "60"));
        http = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)).createHttpClient(
                new HttpClientOptions().setDefaultHost(base.getHost()).setDefaultPort(base.getPort()),
                new PoolOptions().setHttp1MaxSize(clients * 2));

        String env = "mcpbench-" + UUID.randomUUID().toString().substring(0, 8);
        expect(call(admin, null, "POST", "/environments", "{\"name\":\"" + env + "\"}"), 201);
        List<String> tokens = new ArrayList<>();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            expect(call(admin, null, "PUT", "/entities/job/" + env + "-" + i, "{\"environment\":\"" + env + "\",\"title\":\"b\"}"), 201);
            Answer agent = expect(call(admin, null, "POST", "/agents",
                    "{\"id\":\"" + env + "-a" + i + "\",\"displayName\":\"bench\",\"roles\":[\"agent\"]}"), 201);
            Matcher m = TOKEN.matcher(agent.body());
            if (!m.find()) {
                throw new IllegalStateException("no token in " + agent.body());
            }
            String token = m.group(1);
            Answer init = expect(call(token, null, "POST", "/mcp", """
                    {"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18",
                     "capabilities":{},"clientInfo":{"name":"mcp-bench","version":"1"}}}"""), 200);
            expect(call(token, init.session(), "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"), 202);
            tokens.add(token);
            sessions.add(init.session());
        }
        System.out.printf("clients=%d seconds per slice=%d slices=%d warm-up=%d s cpus=%d%n", clients, seconds, slices, warmUp,
                Runtime.getRuntime().availableProcessors());
        measure(clients, warmUp / 2, i -> rest(tokens.get(i), env + "-" + i));
        measure(clients, warmUp / 2, i -> mcp(tokens.get(i), sessions.get(i), env + "-" + i));
        Result rest = null, mcp = null;
        for (int s = 1; s <= slices; s++) {
            Result r = measure(clients, seconds, i -> rest(tokens.get(i), env + "-" + i));
            Result m = measure(clients, seconds, i -> mcp(tokens.get(i), sessions.get(i), env + "-" + i));
            System.out.printf("slice %d: rest %.0f cycles/s (mean %.2f ms), mcp %.0f cycles/s (mean %.2f ms): mcp costs %.2f x rest%n",
                    s, r.perSecond(), r.meanMillis(), m.perSecond(), m.meanMillis(), m.meanMillis() / r.meanMillis());
            rest = rest == null ? r : rest.plus(r);
            mcp = mcp == null ? m : mcp.plus(m);
        }
        System.out.printf("rest: %.0f cycles/s; per cycle mean %.2f ms, p50 %.2f ms, p99 %.2f ms%n", rest.perSecond(),
                rest.meanMillis(), rest.percentile(50), rest.percentile(99));
        System.out.printf("mcp:  %.0f cycles/s; per cycle mean %.2f ms, p50 %.2f ms, p99 %.2f ms%n", mcp.perSecond(),
                mcp.meanMillis(), mcp.percentile(50), mcp.percentile(99));
        System.out.printf("an MCP acquire_lock + release_lock costs %.2f x the REST pair (mean latency); throughput ratio %.2f%n",
                mcp.meanMillis() / rest.meanMillis(), rest.perSecond() / mcp.perSecond());
        System.exit(0);
    }

    static Cycle rest(String token, String key) {
        String path = "/entities/job/" + key + "/lock";
        return () -> {
            expect(call(token, null, "POST", path, "{\"leaseSeconds\":60}"), 201);
            expect(call(token, null, "DELETE", path, null), 200);
        };
    }

    static Cycle mcp(String token, String session, String key) {
        AtomicInteger ids = new AtomicInteger();
        String args = "{\"entity\":\"job/" + key + "\"";
        return () -> {
            tool(token, session, ids.incrementAndGet(), "acquire_lock", args + ",\"leaseSeconds\":60}");
            tool(token, session, ids.incrementAndGet(), "release_lock", args + "}");
        };
    }

    static void tool(String token, String session, int id, String name, String arguments) throws Exception {
        Answer answer = expect(call(token, session, "POST", "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":" + id
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + name + "\",\"arguments\":" + arguments + "}}"), 200);
        if (!answer.body().contains("\"isError\":false")) {
            throw new IllegalStateException(name + ": " + answer.body());
        }
    }

    /** Runs one closed-loop client per index on threads of their own for {@code seconds}. */
    static Result measure(int clients, int seconds, java.util.function.IntFunction<Cycle> cycles) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<java.util.concurrent.Future<long[]>> futures = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Cycle cycle = cycles.apply(i);
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 18];
                int n = 0;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    cycle.run();
                    if (n < lat.length) {
                        lat[n++] = System.nanoTime() - t0;
                    }
                }
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (var f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        long[] merged = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(merged.length, (System.nanoTime() - start) / 1e9, merged);
    }

    static Answer call(String token, String session, String method, String path, String body) throws Exception {
        Future<Answer> answer = http.request(HttpMethod.valueOf(method), path).compose(request -> {
            request.putHeader("Authorization", "Bearer " + token);
            if (session != null) {
                request.putHeader("Mcp-Session-Id", session);
            }
            if (path.equals("/mcp")) {
                request.putHeader("Accept", "application/json, text/event-stream");
            }
            return body == null ? request.send() : request.putHeader("Content-Type", "application/json").send(body);
        }).compose(response -> response.body().map(b -> new Answer(response.statusCode(),
                response.getHeader("Mcp-Session-Id"), b.toString())));
        return answer.toCompletionStage().toCompletableFuture().get();
    }

    static Answer expect(Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + answer);
        }
        return answer;
    }
}
