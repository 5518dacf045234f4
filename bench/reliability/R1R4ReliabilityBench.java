import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The reliability suite of issue 23, one phase per run, against two replicas and the suite's own PostgreSQL
 * (see run.sh, which starts them and passes the replica to kill and the commands that stop and start PostgreSQL):
 * <ul>
 *   <li>R1: 48 closed-loop clients, half on each replica, ≥ 20,000 lock attempts on 4 entities; every grant
 *       recorded and checked for overlapping holders (as the clients saw them, and in the event log), fencing tokens
 *       strictly increasing per entity, 0 errors;
 *   <li>R2: the same load, {@code kill -9} of replica B after a quarter of the attempts; its clients fail over to A
 *       and retry (acquire again answers 200 "already held" when the lost answer was a grant): 0 acknowledged
 *       grants missing from the event log, no 5xx and no dropped connection from A;
 *   <li>R3: PostgreSQL stopped for ~10 s under a mixed load with SSE streams on both replicas: every call sent
 *       in the outage answers 503 with Retry-After within 1 s, none hangs, first success ≤ 2 s after PostgreSQL is
 *       back, the streams (resumed with Last-Event-ID) lose and duplicate nothing;
 *   <li>R4: ≥ 10,000 hostile requests generated from openapi/openapi.json, sent one at a time with a fingerprint
 *       of every table after each: 0 5xx, every 4xx problem+json, no row changed by a refused request.
 * </ul>
 * Each check prints {@code R<n> PASS|FAIL <what>: <figure>}; the exit code is 1 when one failed.
 * {@code java -cp 'target/quarkus-app/lib/main/*' R1R4ReliabilityBench.java r1|r2|r3|r4 <urlA> <urlB> <adminToken> <jdbcUrl>}
 */
public class R1R4ReliabilityBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static String[] urls;
    static String admin;
    static String jdbc;
    static HttpClient http;
    static Vertx vertx;
    static String phase;
    static boolean failed;

    /** Vert.x logs each timeout and reset at SEVERE; the suite counts them itself. */
    static final java.util.logging.Logger VERTX_LOG = java.util.logging.Logger.getLogger("io.vertx");

    public static void main(String[] args) throws Exception {
        VERTX_LOG.setLevel(java.util.logging.Level.OFF);
        phase = args[0].toUpperCase();
        urls = new String[]{args[1], args[2]};
        admin = args[3];
        jdbc = args[4];
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(30), new PoolOptions().setHttp1MaxSize(64));
        try {
            switch (args[0]) {
                case "r1" -> locks(false);
                case "r2" -> locks(true);
                case "r3" -> outage();
                case "r4" -> hostile();
                default -> throw new IllegalArgumentException(args[0]);
            }
        } catch (Exception e) {
            e.printStackTrace();
            check("the phase ran to its end", false, e.toString());
        }
        System.exit(failed ? 1 : 0);
    }

    // ---------------------------------------------------------------- HTTP

    /** One answer; status -1 when the connection failed or nothing came back within the timeout. */
    record Resp(int status, String contentType, String retryAfter, String body, long sentNanos, long doneNanos, String error) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        double millis() {
            return (doneNanos - sentNanos) / 1e6;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new IllegalStateException("not JSON: " + body);
            }
        }
    }

    static Resp call(String base, String method, String path, String token, Object body, Map<String, String> headers, long timeoutMillis) {
        URI uri = URI.create(base);
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.valueOf(method)).setHost(uri.getHost())
                .setPort(uri.getPort()).setURI(path).setIdleTimeout(timeoutMillis).setConnectTimeout(timeoutMillis);
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (body != null) {
            options.putHeader("Content-Type", "application/json");
        }
        headers.forEach(options::putHeader);
        long sent = System.nanoTime();
        Buffer payload = body == null ? null
                : body instanceof byte[] bytes ? Buffer.buffer(bytes) : Buffer.buffer(body.toString(), "UTF-8");
        try {
            return http.request(options)
                    .compose(request -> payload == null ? request.send() : request.send(payload))
                    .compose(response -> {
                        String type = response.getHeader("Content-Type");
                        if (type != null && type.startsWith("text/event-stream")) {
                            response.exceptionHandler(reset -> { });
                            response.request().reset(); // a stream accepted the request: its status is the answer
                            return Future.succeededFuture(answer(response, "", sent));
                        }
                        return response.body().map(b -> answer(response, b.toString(StandardCharsets.UTF_8), sent));
                    })
                    .toCompletionStage().toCompletableFuture().get(timeoutMillis + 2000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new Resp(-1, null, null, "", sent, System.nanoTime(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }

    static Resp answer(HttpClientResponse response, String body, long sent) {
        return new Resp(response.statusCode(), response.getHeader("Content-Type"), response.getHeader("Retry-After"), body, sent,
                System.nanoTime(), null);
    }

    static Resp call(String base, String method, String path, String token, String body) {
        return call(base, method, path, token, body, Map.of(), 10_000);
    }

    /** A set-up call that must succeed. */
    static JsonNode must(String base, String method, String path, String token, String body) {
        Resp r = call(base, method, path, token, body);
        if (!r.ok()) {
            throw new IllegalStateException(method + " " + path + " answered " + r.status + " " + r.body + " " + r.error);
        }
        return r.body.isEmpty() ? null : r.json();
    }

    /** Registers agents {@code prefix-0..n-1}; answers their tokens. */
    static List<String> agents(String prefix, int n) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tokens.add(must(urls[i % 2], "POST", "/agents", admin,
                    "{\"id\":\"" + prefix + "-" + i + "\",\"displayName\":\"r\",\"roles\":[\"agent\"]}").get("token").asText());
        }
        return tokens;
    }

    static void check(String what, boolean ok, Object figure) {
        System.out.printf("%s %s %s: %s%n", phase, ok ? "PASS" : "FAIL", what, figure);
        failed |= !ok;
    }

    static void info(String format, Object... args) {
        System.out.printf(phase + " figure " + format + "%n", args);
    }

    // ---------------------------------------------------------------- R1, R2: contended locks

    /** A grant a client was told about, and when (its clock) it believed it held it. */
    static final class Grant {
        String entity, holder, acquiredAt, expiresAt;
        long token, ackNanos, releaseSentNanos = Long.MAX_VALUE;
        boolean releaseAcknowledged, releaseLost;
        int replica;
    }

    /** Answers per replica: by status, dropped connections, and the times answers came back (for the longest gap). */
    static final class Tally {
        final Map<Integer, AtomicInteger> byStatus = new TreeMap<>();
        final List<String> samples = new ArrayList<>();
        final List<Long> answeredAt = new ArrayList<>();

        synchronized void add(Resp r) {
            byStatus.computeIfAbsent(r.status, s -> new AtomicInteger()).incrementAndGet();
            if (r.status != -1) {
                answeredAt.add(r.doneNanos);
            }
            if ((r.status == -1 || r.status >= 500) && samples.size() < 3) {
                samples.add(r.status + " " + (r.error != null ? r.error : r.body.substring(0, Math.min(200, r.body.length()))));
            }
        }

        synchronized int count(java.util.function.IntPredicate status) {
            return byStatus.entrySet().stream().filter(e -> status.test(e.getKey())).mapToInt(e -> e.getValue().get()).sum();
        }
    }

    static void locks(boolean kill) throws Exception {
        int clients = 48, entities = 4, target = kill ? 20_000 : 22_000;
        long limitNanos = TimeUnit.SECONDS.toNanos(150);
        String env = phase.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        must(urls[0], "POST", "/environments", admin, "{\"name\":\"" + env + "\"}");
        List<String> keys = new ArrayList<>();
        for (int e = 0; e < entities; e++) {
            keys.add(env + "-" + e);
            must(urls[e % 2], "PUT", "/entities/job/" + env + "-" + e, admin, "{\"environment\":\"" + env + "\",\"title\":\"r\"}");
        }
        List<String> tokens = agents(env, clients);
        Tally[] tally = {new Tally(), new Tally()};
        ConcurrentLinkedQueue<Grant> grants = new ConcurrentLinkedQueue<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger releaseErrors = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicInteger revealed = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(new Thread(() -> {
                Random random = new Random(id);
                int replica = id % 2;
                String agent = env + "-" + id, token = tokens.get(id);
                while (attempts.getAndIncrement() < target && System.nanoTime() - start < limitNanos) {
                    String key = keys.get(random.nextInt(entities));
                    String path = "/entities/job/" + key + "/lock";
                    Resp r = call(urls[replica], "POST", path, token, "{\"leaseSeconds\":30}");
                    tally[replica].add(r);
                    // a replica gone: ask the other one; "already held" (200) tells that the lost answer was a grant
                    for (int retry = 0; kill && r.status == -1 && killedAt.get() != 0 && retry < 20; retry++) {
                        replica = 0;
                        r = call(urls[replica], "POST", path, token, "{\"leaseSeconds\":30}");
                        tally[replica].add(r);
                        if (r.status == 200) {
                            revealed.incrementAndGet();
                        }
                    }
                    if (r.status != 200 && r.status != 201) {
                        continue;
                    }
                    JsonNode body = r.json();
                    Grant g = new Grant();
                    g.entity = body.get("entity").asText();
                    g.holder = body.get("holder").asText();
                    g.token = body.get("fencingToken").asLong();
                    g.acquiredAt = body.get("acquiredAt").asText();
                    g.expiresAt = body.get("expiresAt").asText();
                    g.ackNanos = r.doneNanos;
                    g.replica = replica;
                    if (!g.holder.equals(agent)) {
                        System.out.println(phase + " grant names another holder: " + r.body);
                    }
                    grants.add(g);
                    g.releaseSentNanos = System.nanoTime(); // from here on the client no longer acts as the holder
                    Resp released = call(urls[replica], "DELETE", path, token, null);
                    tally[replica].add(released);
                    boolean lost = false;
                    for (int retry = 0; kill && released.status == -1 && killedAt.get() != 0 && retry < 20; retry++) {
                        lost = true;
                        replica = 0;
                        released = call(urls[replica], "DELETE", path, token, null);
                        tally[replica].add(released);
                    }
                    g.releaseAcknowledged = released.status == 200;
                    if (!g.releaseAcknowledged && lost && released.status != -1) {
                        // the lost release may have committed on B, and the lock gone to another client since: the
                        // event log tells (a lock.released of this token, or the lock still held)
                        g.releaseLost = true;
                        System.out.printf("%s release retried on A after its answer was lost: %d %s%n", phase, released.status,
                                abbreviate(released.body, 200));
                    } else if (!g.releaseAcknowledged) {
                        releaseErrors.incrementAndGet();
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        if (kill) {
            long pid = Long.parseLong(System.getenv("STIGMERGY_KILL_PID"));
            while (attempts.get() < target / 4) {
                Thread.sleep(20);
            }
            killedAt.set(System.nanoTime());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
            info("replica B (pid %d) killed with SIGKILL after %d attempts, %.1f s into the load", pid, attempts.get(),
                    (killedAt.get() - start) / 1e9);
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int done = Math.min(attempts.get(), target);
        List<Grant> all = new ArrayList<>(grants);
        info("%d lock attempts by %d clients (half on each replica) on %d entities in %.1f s (%.0f/s): %d granted, answers A %s, B %s",
                done, clients, entities, seconds, done / seconds, all.size(), tally[0].byStatus, tally[1].byStatus);

        // exclusion as the clients saw it: per entity, in the order the grants were acknowledged, each next grant
        // arrived after the previous holder had sent its release
        Map<String, List<Grant>> byEntity = new TreeMap<>();
        all.forEach(g -> byEntity.computeIfAbsent(g.entity, e -> new ArrayList<>()).add(g));
        int overlaps = 0, notIncreasing = 0;
        for (List<Grant> list : byEntity.values()) {
            list.sort((a, b) -> Long.compare(a.ackNanos, b.ackNanos));
            for (int i = 1; i < list.size(); i++) {
                Grant prev = list.get(i - 1), next = list.get(i);
                if (next.ackNanos < prev.releaseSentNanos) {
                    if (overlaps++ < 3) {
                        System.out.printf("%s overlap on %s: %s token %d still held when %s got token %d%n", phase, next.entity,
                                prev.holder, prev.token, next.holder, next.token);
                    }
                }
                if (next.token <= prev.token) {
                    notIncreasing++;
                }
            }
        }
        // the same from the service's own record: the event log of the environment, per entity in id order
        EventLogCheck log = eventLog(env, all);
        check("lock attempts >= 20000", done >= 20_000, done);
        check("overlapping holders, as the clients saw them", overlaps == 0, overlaps);
        check("overlapping holders, in the event log", log.overlaps == 0, log.overlaps + " (of " + log.acquired + " lock.acquired)");
        check("fencing tokens not strictly increasing per entity (clients; event log)",
                notIncreasing == 0 && log.notIncreasing == 0, notIncreasing + "; " + log.notIncreasing);
        check("acknowledged grants missing from the event log", log.missingGrants == 0, log.missingGrants + " of " + all.size());
        check("acknowledged releases missing from the event log", log.missingReleases == 0, log.missingReleases);
        if (!kill) {
            int errors = tally[0].count(s -> s != 200 && s != 201 && s != 409) + tally[1].count(s -> s != 200 && s != 201 && s != 409);
            check("errors (answers other than 200/201/409, dropped connections, failed releases)", errors == 0 && releaseErrors.get() == 0,
                    errors + " " + tally[0].samples + tally[1].samples + ", failed releases " + releaseErrors.get());
        } else {
            int a5xx = tally[0].count(s -> s >= 500), aDropped = tally[0].count(s -> s == -1);
            check("5xx from the surviving replica A", a5xx == 0, a5xx + " " + tally[0].samples);
            check("dropped connections or timeouts from replica A", aDropped == 0, aDropped);
            long gap = longestGap(tally[0].answeredAt, killedAt.get() - TimeUnit.SECONDS.toNanos(1));
            check("replica A served throughout: longest gap between its answers from 1 s before the kill <= 1000 ms",
                    gap <= 1_000_000_000L, String.format("%.0f ms", gap / 1e6));
            info("replica B answered %s before dying (-1: the calls in flight at the kill); %d of them were grants whose answer was lost,"
                    + " found by acquiring again on A (200, already held)", tally[1].byStatus, revealed.get());
            check("releases that failed (besides those whose answer was lost with B and that the event log shows done)",
                    releaseErrors.get() + log.lostReleasesNotDone == 0, releaseErrors.get() + log.lostReleasesNotDone
                    + " (lost with B, refused on retry as the lock had moved on, and in the log as released: "
                    + (log.lostReleases - log.lostReleasesNotDone) + ")");
        }
    }

    static long longestGap(List<Long> times, long from) {
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        long gap = 0, prev = from;
        for (long t : sorted) {
            if (t >= from) {
                gap = Math.max(gap, t - prev);
                prev = t;
            }
        }
        return gap;
    }

    static final class EventLogCheck {
        int acquired, overlaps, notIncreasing, missingGrants, missingReleases, lostReleases, lostReleasesNotDone;
    }

    /**
     * Replays the environment's lock events in id order (per entity, every transition locks the entity's lock row
     * before it draws its event id, so id order is commit order): a lock.acquired while another grant is live is an
     * overlap, and every acknowledged grant and release must be there.
     */
    static EventLogCheck eventLog(String env, List<Grant> grants) throws Exception {
        EventLogCheck check = new EventLogCheck();
        Set<String> acquired = new HashSet<>(), released = new HashSet<>();
        Map<String, Long> holding = new HashMap<>(), last = new HashMap<>();
        Map<String, Instant> expires = new HashMap<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             Statement s = c.createStatement();
             ResultSet rows = s.executeQuery("select type, entity, agent, data, occurred_at from event where environment = '" + env
                     + "' and type like 'lock.%' order by id")) {
            while (rows.next()) {
                String type = rows.getString(1), entity = rows.getString(2);
                JsonNode data = JSON.readTree(rows.getString(4));
                long token = data.path("fencingToken").asLong(-1);
                switch (type) {
                    case "lock.acquired" -> {
                        check.acquired++;
                        Instant at = Instant.parse(data.get("acquiredAt").asText());
                        if (holding.containsKey(entity) && at.isBefore(expires.get(entity))) {
                            check.overlaps++;
                        }
                        if (last.containsKey(entity) && token <= last.get(entity)) {
                            check.notIncreasing++;
                        }
                        holding.put(entity, token);
                        last.put(entity, token);
                        expires.put(entity, Instant.parse(data.get("expiresAt").asText()));
                        acquired.add(entity + "#" + token + "#" + rows.getString(3));
                    }
                    case "lock.released", "lock.expired", "lock.force-released" -> {
                        holding.remove(entity);
                        released.add(entity + "#" + token);
                    }
                    default -> { } // lock.renewed: same grant
                }
            }
        }
        for (Grant g : grants) {
            if (!acquired.contains(g.entity + "#" + g.token + "#" + g.holder)) {
                check.missingGrants++;
            }
            if (g.releaseAcknowledged && !released.contains(g.entity + "#" + g.token)) {
                check.missingReleases++;
            }
            if (g.releaseLost) {
                check.lostReleases++;
                if (!released.contains(g.entity + "#" + g.token)) {
                    check.lostReleasesNotDone++;
                }
            }
        }
        return check;
    }

    // ---------------------------------------------------------------- R3: PostgreSQL stopped under load

    /** An SSE subscriber that resumes with Last-Event-ID whenever its stream ends, until told to stop. */
    static final class Subscriber {
        final String base, path, token;
        final List<Long> ids = Collections.synchronizedList(new ArrayList<>());
        volatile long lastId;
        volatile boolean stopped;
        final AtomicInteger reconnects = new AtomicInteger(), refused = new AtomicInteger();
        final CountDownLatch subscribed = new CountDownLatch(1);
        final HttpClient client;

        Subscriber(HttpClient client, String base, String path, String token, long from) {
            this.client = client;
            this.base = base;
            this.path = path;
            this.token = token;
            this.lastId = from;
        }

        void open() {
            if (stopped) {
                return;
            }
            URI uri = URI.create(base);
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(uri.getPort())
                    .setURI(path).putHeader("Authorization", "Bearer " + token).putHeader("Accept", "text/event-stream")
                    .putHeader("Last-Event-ID", String.valueOf(lastId)).setConnectTimeout(2000);
            client.request(options).compose(request -> request.send()).onComplete(done -> {
                if (done.failed() || done.result().statusCode() != 200) {
                    refused.incrementAndGet();
                    if (done.succeeded()) {
                        done.result().request().reset();
                    }
                    reopen(500);
                    return;
                }
                HttpClientResponse response = done.result();
                current = response;
                subscribed.countDown();
                response.handler(RecordParser.newDelimited("\n", line -> {
                    String text = line.toString();
                    if (text.startsWith("id:")) {
                        long id = Long.parseLong(text.substring(3).trim());
                        ids.add(id);
                        lastId = id;
                    }
                }));
                AtomicBoolean ended = new AtomicBoolean(); // end and exception may both come: one resume
                response.endHandler(end -> {
                    if (ended.compareAndSet(false, true)) {
                        reopen(100);
                    }
                });
                response.exceptionHandler(error -> {
                    if (ended.compareAndSet(false, true)) {
                        reopen(100);
                    }
                });
            });
        }

        private volatile HttpClientResponse current;

        /** Drops the connection, as a client whose network failed would; the stream resumes with Last-Event-ID. */
        void drop() {
            vertx.runOnContext(v -> current.request().connection().close());
        }

        void reopen(long delayMillis) {
            if (stopped) {
                return;
            }
            reconnects.incrementAndGet();
            vertx.setTimer(delayMillis, t -> open());
        }
    }

    record Call(int replica, Resp resp) { }

    static void outage() throws Exception {
        String env = "r3-" + UUID.randomUUID().toString().substring(0, 8);
        int clients = 8, subscribers = 4;
        must(urls[0], "POST", "/environments", admin, "{\"name\":\"" + env + "\"}");
        List<String> tokens = agents(env, clients);
        for (int c = 0; c < clients; c++) {
            must(urls[c % 2], "PUT", "/entities/job/" + env + "-" + c, admin, "{\"environment\":\"" + env + "\",\"title\":\"r\"}");
        }
        long from = maxEventId(env);
        HttpClient streams = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(subscribers * 2));
        List<Subscriber> subs = new ArrayList<>();
        for (int s = 0; s < subscribers; s++) {
            Subscriber sub = new Subscriber(streams, urls[s % 2], "/events/stream?environment=" + env, admin, from);
            subs.add(sub);
            vertx.runOnContext(v -> sub.open());
        }
        for (Subscriber sub : subs) {
            if (!sub.subscribed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("a stream did not open");
            }
        }
        ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
        long[] marks = new long[4]; // stop sent, stopped, start sent, started
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads.add(new Thread(() -> {
                int replica = id % 2, n = 0;
                String entity = "/entities/job/" + env + "-" + id, token = tokens.get(id);
                while (running.get()) {
                    Resp r = switch (n++ % 4) {
                        case 0 -> call(urls[replica], "PUT", entity, token, "{\"environment\":\"" + env + "\",\"title\":\"t" + n + "\"}");
                        case 1 -> call(urls[replica], "GET", entity, token, null);
                        case 2 -> call(urls[replica], "POST", entity + "/lock", token, "{\"leaseSeconds\":5}");
                        default -> call(urls[replica], "DELETE", entity + "/lock", token, null);
                    };
                    calls.add(new Call(replica, r));
                    sleep(r.ok() ? 20 : 100);
                }
            }));
        }
        threads.forEach(Thread::start);
        Thread.sleep(6000);
        marks[0] = System.nanoTime();
        shell(System.getenv("STIGMERGY_PG_STOP"));
        marks[1] = System.nanoTime();
        Thread.sleep(5_000);
        // half the streams (one per replica) lose their connection in the outage and resume with Last-Event-ID,
        // retried until a replica accepts it; the other half stay open throughout
        subs.get(0).drop();
        subs.get(1).drop();
        Thread.sleep(5_000);
        marks[2] = System.nanoTime();
        shell(System.getenv("STIGMERGY_PG_START"));
        marks[3] = System.nanoTime();
        Thread.sleep(10_000);
        running.set(false);
        for (Thread t : threads) {
            t.join();
        }
        info("PostgreSQL stop took %.1f s, down %.1f s, start took %.1f s", (marks[1] - marks[0]) / 1e9, (marks[2] - marks[1]) / 1e9,
                (marks[3] - marks[2]) / 1e9);

        List<Call> all = new ArrayList<>(calls);
        List<Call> during = all.stream().filter(c -> c.resp.sentNanos >= marks[1] && c.resp.sentNanos < marks[2]).toList();
        // within 1 s: 503 with Retry-After, or the ordinary answer when PostgreSQL came back meanwhile
        long fast503 = during.stream().filter(c -> c.resp.millis() <= 1000 && (c.resp.status == 503 && c.resp.retryAfter != null
                || c.resp.status != -1 && c.resp.status < 500 && c.resp.doneNanos >= marks[3])).count();
        Map<Integer, Integer> statuses = new TreeMap<>();
        during.forEach(c -> statuses.merge(c.resp.status, 1, Integer::sum));
        double[] millis = during.stream().mapToDouble(c -> c.resp.millis()).sorted().toArray();
        info("%d calls in total by %d clients (half on each replica); %d sent while PostgreSQL was down, answers %s, median %.0f ms, slowest %.0f ms",
                all.size(), clients, during.size(), statuses, millis.length == 0 ? 0 : millis[millis.length / 2],
                millis.length == 0 ? 0 : millis[millis.length - 1]);
        during.stream().filter(c -> c.resp.status != 503).limit(2).forEach(c -> System.out.printf("%s sample answer in the outage: %d %s%n",
                phase, c.resp.status, c.resp.body.substring(0, Math.min(200, c.resp.body.length()))));
        check("calls sent in the outage answered within 1 s: 503 with Retry-After (or their answer once PostgreSQL was back)", !during.isEmpty() && fast503 == during.size(),
                fast503 + " of " + during.size());
        long hung = all.stream().filter(c -> c.resp.status == -1).count();
        check("calls that hung (no answer within 10 s) or dropped", hung == 0, hung);
        for (int replica = 0; replica < 2; replica++) {
            int rep = replica;
            double first = all.stream().filter(c -> c.replica == rep && c.resp.ok() && c.resp.doneNanos >= marks[3])
                    .mapToDouble(c -> (c.resp.doneNanos - marks[3]) / 1e6).min().orElse(Double.POSITIVE_INFINITY);
            check("replica " + (rep == 0 ? "A" : "B") + ": first success after PostgreSQL is back <= 2000 ms", first <= 2000,
                    String.format("%.0f ms", first));
        }

        // every stream has every event of the environment after its start, once
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Set<Long> expected = eventIds(env, from);
        while (System.nanoTime() < deadline && subs.stream().anyMatch(s -> new HashSet<>(s.ids).size() < expected.size())) {
            Thread.sleep(200);
        }
        subs.forEach(s -> s.stopped = true);
        int lost = 0, duplicated = 0;
        List<String> perStream = new ArrayList<>();
        for (Subscriber s : subs) {
            List<Long> ids = new ArrayList<>(s.ids);
            Set<Long> unique = new HashSet<>(ids);
            int missing = (int) expected.stream().filter(id -> !unique.contains(id)).count();
            lost += missing;
            duplicated += ids.size() - unique.size();
            perStream.add(String.format("%s: %d received, %d lost, %d resumed, %d refused", s.base.endsWith(urls[0]) ? "A" : "B",
                    ids.size(), missing, s.reconnects.get(), s.refused.get()));
        }
        info("%d events written in the environment during the phase; streams %s", expected.size(), perStream);
        check("SSE events lost", lost == 0, lost);
        check("SSE events duplicated", duplicated == 0, duplicated);
    }

    static void shell(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " failed: " + out);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long maxEventId(String env) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             ResultSet r = c.createStatement().executeQuery("select coalesce(max(id), 0) from event where environment = '" + env + "'")) {
            r.next();
            return r.getLong(1);
        }
    }

    static Set<Long> eventIds(String env, long after) throws Exception {
        Set<Long> ids = new HashSet<>();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             ResultSet r = c.createStatement().executeQuery("select id from event where environment = '" + env + "' and id > " + after)) {
            while (r.next()) {
                ids.add(r.getLong(1));
            }
        }
        return ids;
    }

    // ---------------------------------------------------------------- R4: hostile requests from the spec

    record Hostile(String kind, String method, String path, Object body, Map<String, String> headers) { }

    /** Values that no field of the spec accepts in its place, or that probe the limits of the ones that do. */
    static final String[] RAW_VALUES = {"123", "-1", "0", "1.9", "1e400", "-0", "\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "true",
            "[]", "{}", "null", "\"\\ud800\"", "\"9999999999999999999999\"", "99999999999999999999", "[\"a\\u0000\"]",
            "{\"\\u0000\":1}", "{\"k\":[[{\"n\":\"\\u0000\"}]]}", "\"[\"", "\"**/[!\"", "\"a{b\"", "\"../../etc/passwd\"", "\"/abs\"",
            "\"\\\\\"", "\"x;y=1\"", "\"%zz\"", "\"'; drop table agent; --\""};
    static final String[] QUERY_VALUES = {"abc", "1.5", "-1", "0", "99999999999999999999", "", "%", "%zz", "%00", "a%00b",
            "%ED%A0%80", "true", "[", "*", "**/[", "%2F..%2F", ";x=1", "1e3", "0x10", "+1", "%201"};
    static final String[] PATH_VALUES = {";x=1", ";", "%", "%zz", "%00", "%ED%A0%80", "..", "%2F..%2F", "%20", "%C3%A4", "*",
            "a;b", "-a", ".", "%25", "%0A", "1.5", "-1", "99999999999999999999"};

    static void hostile() throws Exception {
        JsonNode spec = JSON.readTree(Files.readString(Path.of("openapi/openapi.json")));
        Fixture fx = fixture();
        List<Hostile> catalogue = catalogue(spec, fx);
        int target = 10_500;
        long limitNanos = TimeUnit.SECONDS.toNanos(240);
        info("%d hostile request shapes from %d operations of openapi/openapi.json; sent until %d, alternating replicas",
                catalogue.size(), operations(spec).size(), target);
        StateDigest digest = new StateDigest();
        int sent = 0, serverErrors = 0, notProblem = 0, hung = 0, refusedChanged = 0, acceptedChanged = 0, accepted = 0, oversizeClosed = 0;
        Map<String, Integer> statuses = new TreeMap<>(), acceptedByKind = new TreeMap<>(), notProblemByKind = new TreeMap<>();
        List<String> samples5xx = new ArrayList<>(), samplesNotProblem = new ArrayList<>(), samplesChanged = new ArrayList<>(),
                samplesAccepted = new ArrayList<>();
        long start = System.nanoTime();
        Random random = new Random(23);
        int round = 0;
        while (sent < target && System.nanoTime() - start < limitNanos) {
            Iterator<Hostile> it = catalogue.iterator();
            while (it.hasNext() && sent < target && System.nanoTime() - start < limitNanos) {
                Hostile h = it.next();
                if (round > 0) {
                    h = vary(h, random);
                }
                String base = urls[sent % 2];
                Resp r = call(base, h.method, h.path, admin, h.body, h.headers, 10_000);
                sent++;
                statuses.merge(String.valueOf(r.status), 1, Integer::sum);
                String what = h.kind + " " + h.method + " " + abbreviate(h.path, 120) + " -> " + r.status;
                if (r.status == -1 && h.kind.equals("body-oversize")) {
                    // a service may close the connection on a body it will not read (RFC 9110, 413): the client, still
                    // writing, then sees the close instead of the answer
                    oversizeClosed++;
                } else if (r.status == -1) {
                    hung++;
                    addSample(samples5xx, what + " " + r.error);
                } else if (r.status >= 500) {
                    serverErrors++;
                    addSample(samples5xx, what + " " + abbreviate(r.body, 160));
                } else if (r.status >= 400 && (r.contentType == null || !r.contentType.startsWith("application/problem+json"))) {
                    notProblem++;
                    if (notProblemByKind.merge(group(h) + " -> " + r.status + " " + r.contentType, 1, Integer::sum) == 1) {
                        addSample(samplesNotProblem, what + " (" + r.contentType + ") " + abbreviate(r.body, 80));
                    }
                }
                if (r.ok()) {
                    accepted++;
                }
                String change = digest.changed();
                if (change != null) {
                    if (r.ok()) {
                        acceptedChanged++;
                        if (acceptedByKind.merge(group(h), 1, Integer::sum) == 1) {
                            samplesAccepted.add(what + ": " + change.replaceAll(" \\(.*?; ", "; "));
                        }
                    } else {
                        refusedChanged++;
                        addSample(samplesChanged, what + ": " + change);
                    }
                }
            }
            round++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        info("%d requests in %.1f s (one at a time, a fingerprint of every table after each); statuses %s", sent, seconds, statuses);
        info("%d accepted (2xx), %d of them changed rows; by mutation (+= appended to a valid value): %s", accepted, acceptedChanged,
                acceptedByKind.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).toList());
        samplesAccepted.forEach(s -> System.out.println(phase + " accepted and changed state, first of its mutation: " + s));
        check("hostile requests sent >= 10000", sent >= 10_000, sent);
        check("5xx answers", serverErrors == 0, serverErrors);
        samples5xx.forEach(s -> System.out.println(phase + "   " + s));
        check("requests that hung or dropped the connection", hung == 0, hung + " (besides, the 11 MB bodies whose connection the service"
                + " closed before the client had sent them: " + oversizeClosed + ")");
        check("4xx answers that are not application/problem+json", notProblem == 0, notProblem + ", by mutation, status and type: "
                + notProblemByKind.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12).toList());
        samplesNotProblem.forEach(s -> System.out.println(phase + "   " + s));
        check("refused requests after which a row changed", refusedChanged == 0, refusedChanged + " (" + digest.tables.size()
                + " tables compared row by row, flyway_schema_history left out)");
        samplesChanged.forEach(s -> System.out.println(phase + "   " + s));
    }

    /** The mutation without the field or parameter it was applied to: {@code path=;x=1}, {@code body-value="\u0000"}. */
    static String group(Hostile h) {
        return h.kind.replaceAll("^(\\S+) [^=+]*(\\+?=.*)?$", "$1$2");
    }

    static void addSample(List<String> samples, String s) {
        if (samples.size() < 12) {
            samples.add(s);
        }
    }

    static String abbreviate(String s, int max) {
        String clean = s.replace("\u0000", "\\0").replace("\n", " ");
        return clean.length() <= max ? clean : clean.substring(0, max) + "…(" + s.length() + " chars)";
    }

    /** What the generated requests point at: an environment, entities, a lock, a pheromone, an intent. */
    record Fixture(String env, String key, String otherKey, String role, String pheromone, String intent, String agent) { }

    static Fixture fixture() {
        String env = "r4-" + UUID.randomUUID().toString().substring(0, 8);
        must(urls[0], "POST", "/environments", admin, "{\"name\":\"" + env + "\"}");
        String key = env + "-e1", other = env + "-e2";
        must(urls[0], "PUT", "/entities/job/" + key, admin, "{\"environment\":\"" + env + "\",\"title\":\"r\"}");
        must(urls[0], "PUT", "/entities/job/" + other, admin, "{\"environment\":\"" + env + "\",\"title\":\"r\"}");
        must(urls[0], "POST", "/entities/job/" + key + "/lock", admin, "{\"leaseSeconds\":3600}");
        String pheromone = must(urls[0], "POST", "/entities/job/" + key + "/pheromones", admin,
                "{\"type\":\"importance\",\"intensity\":1}").get("id").asText();
        must(urls[0], "POST", "/roles", admin, "{\"name\":\"" + env.replace("-", "_") + "\"}");
        Resp intent = call(urls[0], "POST", "/environments/" + env + "/intents", admin, "{\"entity\":\"job/" + key
                + "\",\"files\":[{\"path\":\"src/a.txt\",\"level\":3,\"lineRanges\":[{\"start\":1,\"end\":5}]}],"
                + "\"description\":\"r\",\"leaseSeconds\":3600}");
        String intentId = intent.ok() ? intent.json().path("intent").path("id").asText(intent.json().path("id").asText("1")) : "1";
        String agent = env + "-a";
        must(urls[0], "POST", "/agents", admin, "{\"id\":\"" + agent + "\",\"displayName\":\"r\",\"roles\":[\"agent\"]}");
        return new Fixture(env, key, other, env.replace("-", "_"), pheromone, intentId, agent);
    }

    record Op(String method, String path, JsonNode op) { }

    static List<Op> operations(JsonNode spec) {
        List<Op> ops = new ArrayList<>();
        spec.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m ->
                ops.add(new Op(m.getKey().toUpperCase(), p.getKey(), m.getValue()))));
        return ops;
    }

    static List<Hostile> catalogue(JsonNode spec, Fixture fx) {
        List<Hostile> out = new ArrayList<>();
        for (Op op : operations(spec)) {
            Map<String, String> pathValues = new LinkedHashMap<>();
            List<String> query = new ArrayList<>();
            for (JsonNode p : op.op.path("parameters")) {
                String name = p.get("name").asText();
                switch (p.get("in").asText()) {
                    case "path" -> pathValues.put(name, pathValue(op.path, name, fx));
                    case "query" -> query.add(name);
                    default -> { }
                }
            }
            JsonNode schema = op.op.path("requestBody").path("content").path("application/json").path("schema");
            String body = schema.isMissingNode() ? null : sample(spec, schema, null, fx, 0).toString();
            Supplier<String> path = () -> expand(op.path, pathValues);
            // the body: each property in turn given each hostile value, each required one left out, an unknown one
            if (body != null) {
                ObjectNode base = (ObjectNode) JSON.valueToTree(parse(body));
                for (String field : fieldPaths(base, "")) {
                    for (String raw : RAW_VALUES) {
                        out.add(new Hostile("body-value " + field + "=" + raw, op.method, path.get(), withRaw(base, field, raw), Map.of()));
                    }
                    out.add(new Hostile("body-huge " + field, op.method, path.get(), withRaw(base, field, "\"" + "x".repeat(200_000) + "\""), Map.of()));
                    out.add(new Hostile("body-deep " + field, op.method, path.get(), withRaw(base, field, "[".repeat(3000) + "]".repeat(3000)), Map.of()));
                    out.add(new Hostile("body-missing " + field, op.method, path.get(), without(base, field), Map.of()));
                }
                out.add(new Hostile("body-unknown-field", op.method, path.get(), withRaw(base, "zzUnknown", "1"), Map.of()));
                out.add(new Hostile("body-nul-key", op.method, path.get(), withRaw(base, "a\u0000", "1"), Map.of()));
                if (body.contains("lineRanges")) {
                    for (String range : List.of("[{\"start\":100,\"end\":1}]", "[{\"start\":0,\"end\":0}]", "[{\"start\":-5,\"end\":-1}]",
                            "[{\"start\":2147483647,\"end\":-2147483648}]", "[{\"end\":3}]")) {
                        out.add(new Hostile("body-inverted-range", op.method, path.get(), withRaw(base, "files.0.lineRanges", range), Map.of()));
                    }
                }
                Map<String, String> wholes = new LinkedHashMap<>();
                wholes.put("empty", "");
                wholes.put("truncated", "{");
                wholes.put("null", "null");
                wholes.put("array", "[]");
                wholes.put("string", "\"s\"");
                wholes.put("no-value", "{\"a\":}");
                wholes.put("trailing-comma", "{\"a\":1,}");
                wholes.put("two-values", body + "{\"b\":2}");
                wholes.put("nul", "\u0000");
                wholes.put("20000-brackets", "[".repeat(20_000));
                wholes.put("5000-deep", "{\"a\":".repeat(5000) + "1" + "}".repeat(5000));
                wholes.put("bom-valid", "\uFEFF" + body);
                wholes.put("nan", "NaN");
                wholes.forEach((label, whole) -> out.add(new Hostile("body-whole =" + label, op.method, path.get(), whole, Map.of())));
                out.add(new Hostile("body-not-utf8", op.method, path.get(), new byte[]{'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'}, Map.of()));
                out.add(new Hostile("body-text-plain", op.method, path.get(), body, Map.of("Content-Type", "text/plain")));
                out.add(new Hostile("body-xml", op.method, path.get(), "<a/>", Map.of("Content-Type", "application/xml")));
            } else if (!op.method.equals("GET") && !op.method.equals("DELETE")) {
                out.add(new Hostile("body-unexpected", op.method, path.get(), "{\"zzUnknown\":\"\\u0000\"}", Map.of()));
            }
            // query parameters, each given each bad value; then one repeated, one unknown
            for (String q : query) {
                for (String v : QUERY_VALUES) {
                    out.add(new Hostile("query " + q + "=" + v, op.method, path.get() + "?" + q + "=" + v, body, Map.of()));
                }
                out.add(new Hostile("query-huge " + q, op.method, path.get() + "?" + q + "=" + "x".repeat(6000), body, Map.of()));
                out.add(new Hostile("query-repeated " + q, op.method, path.get() + "?" + q + "=1&" + q + "=abc", body, Map.of()));
            }
            out.add(new Hostile("query-bad-encoding", op.method, path.get() + "?%=%&a=%zz", body, Map.of()));
            // path parameters: bad percent-encoding, matrix parameters, dot segments, oversize
            for (String name : pathValues.keySet()) {
                for (String v : PATH_VALUES) {
                    Map<String, String> bad = new LinkedHashMap<>(pathValues);
                    bad.put(name, v.startsWith(";") ? pathValues.get(name) + v : v);
                    out.add(new Hostile("path " + name + "=" + v, op.method, expand(op.path, bad), body, Map.of()));
                    if (!v.startsWith(";")) {
                        bad.put(name, pathValues.get(name) + v);
                        out.add(new Hostile("path " + name + "+=" + v, op.method, expand(op.path, bad), body, Map.of()));
                    }
                }
                Map<String, String> huge = new LinkedHashMap<>(pathValues);
                huge.put(name, "x".repeat(300));
                out.add(new Hostile("path-long " + name, op.method, expand(op.path, huge), body, Map.of()));
            }
            out.add(new Hostile("uri-huge", op.method, path.get() + "?pad=" + "x".repeat(10_000), body, Map.of()));
            out.add(new Hostile("header-role", op.method, path.get(), body, Map.of("X-Stigmergy-Role", "no-such-role")));
            out.add(new Hostile("header-last-event-id", op.method, path.get(), body, Map.of("Last-Event-ID", "-1x")));
        }
        out.add(new Hostile("path-raw", "GET", "/entities/%/F0", null, Map.of()));
        out.add(new Hostile("path-raw", "PUT", "/entities/job/a;b", "{\"environment\":\"" + fx.env + "\",\"title\":\"r\"}", Map.of()));
        out.add(new Hostile("path-raw", "DELETE", "/entities/job/" + fx.key + ";x/lock", null, Map.of()));
        out.add(new Hostile("body-oversize", "POST", "/entities/job/" + fx.key + "/pheromones",
                "{\"type\":\"importance\",\"payload\":\"" + "x".repeat(11 * 1024 * 1024) + "\"}", Map.of()));
        return out;
    }

    /** A second round of a request: its huge and repeated parts another length, on the other replica. */
    static Hostile vary(Hostile h, Random random) {
        if (h.body instanceof String s && s.length() > 1000 && s.length() < 1_000_000) {
            return new Hostile(h.kind, h.method, h.path, s.replace("xxxxxxxxxx", "x".repeat(1 + random.nextInt(12))), h.headers);
        }
        return h;
    }

    static String pathValue(String path, String name, Fixture fx) {
        return switch (name) {
            case "kind" -> "job";
            case "key" -> fx.key;
            case "environment" -> fx.env;
            case "name" -> path.startsWith("/environments") ? fx.env : "importance";
            case "role" -> fx.role;
            case "id" -> path.startsWith("/agents") ? fx.agent : path.startsWith("/pheromones") ? fx.pheromone
                    : path.startsWith("/intents") ? fx.intent : "1";
            default -> "x";
        };
    }

    static String expand(String template, Map<String, String> values) {
        String out = template;
        for (Map.Entry<String, String> e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    /** A value the schema describes, for the fixture: required properties only, the first alternative. */
    static JsonNode sample(JsonNode spec, JsonNode schema, String name, Fixture fx, int depth) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            return sample(spec, spec.at(ref.substring(1)), name, fx, depth + 1);
        }
        if (schema.has("oneOf")) {
            return sample(spec, schema.get("oneOf").get(0), name, fx, depth + 1);
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        String type = schema.path("type").asText("any");
        return switch (type) {
            case "object" -> {
                ObjectNode o = JSON.createObjectNode();
                JsonNode props = schema.path("properties");
                for (JsonNode r : schema.path("required")) {
                    o.set(r.asText(), sample(spec, props.get(r.asText()), r.asText(), fx, depth + 1));
                }
                if (o.isEmpty() && props.size() > 0 && depth < 6) {
                    String first = props.fieldNames().next();
                    o.set(first, sample(spec, props.get(first), first, fx, depth + 1));
                }
                yield o;
            }
            case "array" -> {
                ArrayNode a = JSON.createArrayNode();
                int n = Math.max(1, schema.path("minItems").asInt(1));
                for (int i = 0; i < n; i++) {
                    a.add(sample(spec, schema.path("items"), name, fx, depth + 1));
                }
                yield a;
            }
            // leases and lifetimes of an hour: nothing the fixture or an accepted request holds lapses during the run
            case "integer", "number" -> JSON.getNodeFactory().numberNode(name != null && name.endsWith("Seconds")
                    ? Math.min(3600, schema.path("maximum").asLong(3600)) : Math.max(1, schema.path("minimum").asLong(1)));
            case "boolean" -> JSON.getNodeFactory().booleanNode(false);
            case "string" -> JSON.getNodeFactory().textNode(switch (name == null ? "" : name) {
                case "environment" -> fx.env;
                case "entity" -> "job/" + fx.otherKey;
                case "type" -> "importance";
                case "path", "paths" -> "src/r4.txt";
                case "refs" -> "HEAD";
                case "kind" -> "EXPONENTIAL";
                default -> "r4" + (schema.has("pattern") ? "x" : " text");
            });
            default -> JSON.createObjectNode().put("k", "v");
        };
    }

    static Object parse(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dotted paths of every leaf and container in a body (array elements as their index), the body itself excluded. */
    static List<String> fieldPaths(JsonNode node, String prefix) {
        List<String> out = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(e -> {
                String p = prefix + e.getKey();
                out.add(p);
                out.addAll(fieldPaths(e.getValue(), p + "."));
            });
        } else if (node.isArray() && node.size() > 0) {
            out.add(prefix + "0");
            out.addAll(fieldPaths(node.get(0), prefix + "0."));
        }
        return out;
    }

    static final String RAW = "\u0001RAW\u0001";

    /** The body with the field at the dotted path replaced by raw JSON text (which may be malformed on purpose). */
    static String withRaw(ObjectNode base, String field, String raw) {
        ObjectNode copy = base.deepCopy();
        String[] parts = field.split("\\.");
        JsonNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        String last = parts[parts.length - 1];
        if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), JSON.getNodeFactory().textNode(RAW));
        } else {
            ((ObjectNode) parent).put(last, RAW);
        }
        return copy.toString().replace("\"" + RAW.replace("\u0001", "\\u0001") + "\"", raw);
    }

    static String without(ObjectNode base, String field) {
        ObjectNode copy = base.deepCopy();
        String[] parts = field.split("\\.");
        JsonNode parent = copy;
        for (int i = 0; i < parts.length - 1; i++) {
            parent = parent.isArray() ? parent.get(Integer.parseInt(parts[i])) : parent.get(parts[i]);
        }
        if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(parts[parts.length - 1]));
        } else {
            ((ObjectNode) parent).remove(parts[parts.length - 1]);
        }
        return copy.toString();
    }

    /**
     * Every table but Flyway's history, fingerprinted in one statement (an md5 of its rows as text, sorted); when
     * the fingerprint moves, the rows themselves are read and compared with the previous read, to name what changed.
     */
    static final class StateDigest {
        final Connection connection;
        final List<String> tables = new ArrayList<>();
        final String fingerprintSql;
        String fingerprint;
        Map<String, Set<String>> rows;

        StateDigest() throws Exception {
            connection = DriverManager.getConnection(jdbc, "postgres", "");
            try (ResultSet r = connection.createStatement().executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'flyway_schema_history' order by 1")) {
                while (r.next()) {
                    tables.add(r.getString(1));
                }
            }
            fingerprintSql = "select " + String.join(" || ", tables.stream().map(t ->
                    "(select coalesce(md5(string_agg(t::text, E'\\n' order by t::text)), '-') from \"" + t + "\" t)").toList());
            fingerprint = fingerprint();
            rows = rows();
        }

        String fingerprint() throws Exception {
            try (ResultSet r = connection.createStatement().executeQuery(fingerprintSql)) {
                r.next();
                return r.getString(1);
            }
        }

        Map<String, Set<String>> rows() throws Exception {
            Map<String, Set<String>> all = new TreeMap<>();
            for (String t : tables) {
                Set<String> set = new HashSet<>();
                try (ResultSet r = connection.createStatement().executeQuery("select t::text from \"" + t + "\" t")) {
                    while (r.next()) {
                        set.add(r.getString(1));
                    }
                }
                all.put(t, set);
            }
            return all;
        }

        /** {@code null} when nothing changed since the last call; else the rows added and removed, per table. */
        String changed() throws Exception {
            String now = fingerprint();
            if (now.equals(fingerprint)) {
                return null;
            }
            Map<String, Set<String>> after = rows();
            StringBuilder diff = new StringBuilder();
            for (String t : tables) {
                Set<String> added = new HashSet<>(after.get(t)), removed = new HashSet<>(rows.get(t));
                added.removeAll(rows.get(t));
                removed.removeAll(after.get(t));
                if (!added.isEmpty() || !removed.isEmpty()) {
                    diff.append(String.format("%s +%d -%d %s; ", t, added.size(), removed.size(),
                            abbreviate(added.stream().findFirst().orElse(removed.stream().findFirst().orElse("")), 160)));
                }
            }
            fingerprint = now;
            rows = after;
            return diff.toString();
        }
    }
}
