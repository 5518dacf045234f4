import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Soak (issue 29): a colony-like mixed load from many simulated agents spread over the service's replicas, sampled
 * every SAMPLE seconds: p50/p99 per operation, table and index sizes, dead tuples, heap after a forced GC per
 * replica, open connections. Workers heartbeat, take the ready work, lock it, declare an intent, deposit, sense,
 * complete the intent, mark the job done and release; scouts create jobs and rank them by importance. The backlog is
 * bounded (SOAK_JOBS jobs, default twice the agents) and its work recurs: a done mark lapses after DONE_TTL_SECONDS
 * and the job is ready again, so that every row the load writes has an end and the tables can reach a steady size.
 *
 * Usage: java -cp CP S1SoakBench.java URLS ADMIN_TOKEN JDBC_URL AGENTS MINUTES OUT_DIR  (URLS comma-separated; env SOAK_PIDS
 * the replicas' pids for jcmd, SOAK_SAMPLE_SECONDS default 60, SOAK_SCOUTS default agents/20, SOAK_JOBS default
 * 2 × agents)
 */
public class S1SoakBench {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    static final Map<String, List<Long>> window = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> conflicts = new ConcurrentHashMap<>();
    static final AtomicLong jobsDone = new AtomicLong(), jobsCreated = new AtomicLong();
    static volatile boolean running = true;
    static String[] urls;
    static String env;
    /** Jobs the scouts create at most (SOAK_JOBS): a bounded backlog whose done jobs recur, see RESULTS.md. */
    static int maxJobs;
    /** How long a job stays done (the done mark's TTL), after which it is ready again: recurring work. */
    static final int DONE_TTL_SECONDS = 120;
    static final int WORKING_HALF_LIFE_SECONDS = 30;

    record Reply(int status, JsonNode body) {
    }

    static Reply call(String op, String base, String token, String method, String path, Object body) {
        long t0 = System.nanoTime();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
            HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpResponse<String> r = HTTP.send(b.method(method, p).build(), HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - t0) / 1000;
            window.computeIfAbsent(op, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(micros);
            if (r.statusCode() == 409) {
                conflicts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
            } else if (r.statusCode() >= 400) {
                long n = errors.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
                if (n <= 3) {
                    System.err.println("error " + op + " " + r.statusCode() + " " + r.body());
                }
            }
            return new Reply(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
        } catch (IOException | InterruptedException e) {
            long n = errors.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
            if (n <= 3) {
                System.err.println("error " + op + " " + e);
            }
            return new Reply(0, null);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long jitter(long min, long max) {
        return ThreadLocalRandom.current().nextLong(min, max);
    }

    static void worker(String base, String token) {
        sleep(jitter(0, 30_000)); // agents do not all start in the same second
        long lastBeat = 0;
        while (running) {
            if (System.currentTimeMillis() - lastBeat > 15_000) {
                call("heartbeat", base, token, "POST", "/agents/me/heartbeat", null);
                lastBeat = System.currentTimeMillis();
            }
            Reply ready = call("ready", base, token, "GET", "/environments/" + env + "/ready?limit=10", null);
            if (ready.status() != 200 || ready.body().get("items").isEmpty()) {
                sleep(jitter(3000, 8000));
                continue;
            }
            JsonNode items = ready.body().get("items");
            JsonNode job = items.get(ThreadLocalRandom.current().nextInt(items.size()));
            String entity = job.get("entity").asText();
            Reply lock = call("lock", base, token, "POST", "/entities/" + entity + "/lock", Map.of("leaseSeconds", 60));
            if (lock.status() != 201 && lock.status() != 200) {
                sleep(jitter(200, 1000));
                continue;
            }
            int module = ThreadLocalRandom.current().nextInt(40);
            int start = ThreadLocalRandom.current().nextInt(1, 400);
            Map<String, Object> file = Map.of("path", "src/m" + module + "/F" + ThreadLocalRandom.current().nextInt(20) + ".java",
                    "level", ThreadLocalRandom.current().nextBoolean() ? 2 : 3,
                    "lineRanges", List.of(Map.of("start", start, "end", start + 30)));
            Reply intent = call("declare", base, token, "POST", "/environments/" + env + "/intents",
                    Map.of("entity", entity, "files", List.of(file), "description", "soak work", "priority",
                            ThreadLocalRandom.current().nextInt(1, 11), "leaseSeconds", 120));
            // "working on it now": a half-life of the order of the work, so the mark fades soon after the work ends
            call("deposit", base, token, "POST", "/entities/" + entity + "/pheromones",
                    Map.of("type", "workingonit", "halfLifeSeconds", WORKING_HALF_LIFE_SECONDS));
            call("sense", base, token, "GET", "/entities/" + entity + "/pheromones", null);
            sleep(jitter(5000, 15000)); // the work itself
            if (intent.status() == 201) {
                call("complete", base, token, "POST", "/intents/" + intent.body().get("intent").get("id").asLong() + "/complete", null);
            }
            // done, for the ready query, is a visible completion.* pheromone
            Reply done = call("done", base, token, "POST", "/entities/" + entity + "/pheromones", Map.of("type", "completion.soak"));
            if (done.status() == 201 || done.status() == 200) {
                jobsDone.incrementAndGet();
            }
            call("release", base, token, "DELETE", "/entities/" + entity + "/lock", null);
            sleep(jitter(5000, 20000));
        }
    }

    static void scout(String base, String token) {
        sleep(jitter(0, 5_000));
        long lastBeat = 0;
        while (running) {
            if (System.currentTimeMillis() - lastBeat > 15_000) {
                call("heartbeat", base, token, "POST", "/agents/me/heartbeat", null);
                lastBeat = System.currentTimeMillis();
            }
            String key = "S" + Long.toString(System.nanoTime(), 36) + ThreadLocalRandom.current().nextInt(1000);
            Reply put = jobsCreated.get() >= maxJobs ? new Reply(0, null) // the backlog is full: its jobs recur
                    : call("create", base, token, "PUT", "/entities/job/" + key, Map.of("environment", env, "title", "soak job " + key));
            if (put.status() == 201) {
                jobsCreated.incrementAndGet();
                call("deposit", base, token, "POST", "/entities/job/" + key + "/pheromones",
                        Map.of("type", "importance", "intensity", ThreadLocalRandom.current().nextInt(1, 10)));
            }
            if (ThreadLocalRandom.current().nextInt(5) == 0) {
                call("rank", base, token, "GET", "/pheromones/ranking?type=importance&environment=" + env + "&limit=20", null);
            }
            // keep the ready queue stocked but bounded
            Reply ready = call("ready", base, token, "GET", "/environments/" + env + "/ready?limit=50", null);
            boolean full = ready.status() == 200 && ready.body().get("items").size() >= 50;
            sleep(full ? jitter(5000, 10000) : jitter(1000, 3000));
        }
    }

    static long pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    public static void main(String[] args) throws Exception {
        urls = args[0].split(",");
        String admin = args[1];
        String jdbc = args[2];
        int agents = Integer.parseInt(args[3]);
        double minutes = Double.parseDouble(args[4]);
        Path out = Path.of(args[5]);
        Files.createDirectories(out);
        int sampleSeconds = Integer.parseInt(System.getenv().getOrDefault("SOAK_SAMPLE_SECONDS", "60"));
        int scouts = Integer.parseInt(System.getenv().getOrDefault("SOAK_SCOUTS", Integer.toString(Math.max(1, agents / 20))));
        String[] pids = System.getenv().getOrDefault("SOAK_PIDS", "").split(",");
        maxJobs = Integer.parseInt(System.getenv().getOrDefault("SOAK_JOBS", Integer.toString(2 * agents)));
        env = "soak-" + System.currentTimeMillis();
        call("setup", urls[0], admin, "POST", "/environments", Map.of("name", env));
        // the done mark: it lapses after DONE_TTL_SECONDS, and the job is ready again (the database is new each run)
        call("setup", urls[0], admin, "POST", "/signal-types", Map.of("name", "completion.soak", "displayName", "Soak done",
                "decay", Map.of("kind", "EXPIRY", "ttlSeconds", DONE_TTL_SECONDS), "writeRoles", List.of("worker", "admin"),
                "reinforceRoles", List.of("validator", "admin")));
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            String id = env + "-a" + i;
            String role = i < scouts ? "scout" : "worker";
            Reply r = call("setup", urls[i % urls.length], admin, "POST", "/agents", Map.of("id", id, "displayName", id, "roles", List.of(role)));
            String token = r.body().get("token").asText();
            String base = urls[i % urls.length];
            Thread t = new Thread(() -> {
                if (role.equals("scout")) {
                    scout(base, token);
                } else {
                    worker(base, token);
                }
            }, id);
            t.setDaemon(true);
            threads.add(t);
        }
        window.clear();
        errors.clear();
        threads.forEach(Thread::start);
        System.out.printf("soak: %d agents (%d scouts, at most %d jobs) over %s, %s min, environment %s%n", agents, scouts, maxJobs,
                Arrays.toString(urls), minutes, env);

        String[] tables = {"event", "pheromone", "pheromone_verdict", "intent", "intent_file", "unlock_request", "entity", "entity_lock"};
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out.resolve("samples.csv")));
             Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            csv.println("minute,op,count,p50_ms,p99_ms,errors,conflicts");
            PrintWriter sizes = new PrintWriter(Files.newBufferedWriter(out.resolve("sizes.csv")));
            sizes.println("minute,table,total_bytes,index_bytes,live_tuples,dead_tuples");
            PrintWriter host = new PrintWriter(Files.newBufferedWriter(out.resolve("host.csv")));
            host.println("minute,heap_after_gc_mb,connections,jobs_created,jobs_done");
            long end = System.currentTimeMillis() + (long) (minutes * 60_000);
            int minute = 0;
            while (System.currentTimeMillis() < end) {
                sleep(Math.min(sampleSeconds * 1000L, Math.max(1, end - System.currentTimeMillis())));
                minute++;
                Map<String, List<Long>> taken = new TreeMap<>();
                for (String op : new ArrayList<>(window.keySet())) {
                    taken.put(op, window.put(op, java.util.Collections.synchronizedList(new ArrayList<>())));
                }
                StringBuilder line = new StringBuilder("t+" + minute + ":");
                for (var e : taken.entrySet()) {
                    long[] sorted;
                    synchronized (e.getValue()) {
                        sorted = e.getValue().stream().mapToLong(Long::longValue).sorted().toArray();
                    }
                    long errs = errors.getOrDefault(e.getKey(), new AtomicLong()).getAndSet(0);
                    long conf = conflicts.getOrDefault(e.getKey(), new AtomicLong()).getAndSet(0);
                    csv.printf("%d,%s,%d,%.2f,%.2f,%d,%d%n", minute, e.getKey(), sorted.length, pct(sorted, 0.5) / 1000.0,
                            pct(sorted, 0.99) / 1000.0, errs, conf);
                    line.append(String.format(" %s %d p99 %.0fms%s", e.getKey(), sorted.length, pct(sorted, 0.99) / 1000.0,
                            errs > 0 ? " ERR " + errs : ""));
                }
                csv.flush();
                try (Statement s = db.createStatement()) {
                    for (String table : tables) {
                        try (ResultSet r = s.executeQuery("select pg_total_relation_size('" + table + "'), pg_indexes_size('" + table
                                + "'), n_live_tup, n_dead_tup from pg_stat_user_tables where relname = '" + table + "'")) {
                            if (r.next()) {
                                sizes.printf("%d,%s,%d,%d,%d,%d%n", minute, table, r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4));
                                if (table.equals("event")) {
                                    line.append(String.format(" | event %d MB, dead %d", r.getLong(1) >> 20, r.getLong(4)));
                                }
                            }
                        }
                    }
                    long connections;
                    try (ResultSet r = s.executeQuery("select count(*) from pg_stat_activity where datname = current_database()")) {
                        r.next();
                        connections = r.getLong(1);
                    }
                    double heap = 0;
                    for (int i = 0; i < pids.length && i < urls.length; i++) {
                        if (!pids[i].isBlank()) {
                            new ProcessBuilder("jcmd", pids[i], "GC.run").redirectErrorStream(true)
                                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                        }
                        heap += heapUsedMb(urls[i]);
                    }
                    host.printf("%d,%.1f,%d,%d,%d%n", minute, heap, connections, jobsCreated.get(), jobsDone.get());
                    line.append(String.format(" | heap %.0f MB, conns %d, jobs %d/%d", heap, connections, jobsDone.get(), jobsCreated.get()));
                }
                sizes.flush();
                host.flush();
                System.out.println(line);
            }
            running = false;
            sizes.close();
            host.close();
        }
        for (Thread t : threads) {
            t.join(15_000);
        }
        System.out.println("soak: done");
        System.exit(0);
    }

    // the replica's heap in use, read from its metrics right after the forced GC
    static double heapUsedMb(String base) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body().lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum() / (1 << 20);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
