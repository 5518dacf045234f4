import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark P4 (issue 5): latency of declaring a 20-file intent (15 paths, 5 globs) through HTTP in an
 * environment holding 10,000 active intents of other agents. The active intents are seeded with SQL (the
 * same rows a declaration writes), so setup takes seconds; declarations are timed one at a time.
 *
 * <pre>java -cp postgresql.jar P4IntentBench.java BASE_URL ADMIN_TOKEN JDBC_URL [declarations]</pre>
 */
public class P4IntentBench {

    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    static final Random RANDOM = new Random(42);

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        String jdbc = args[2];
        int declarations = args.length > 3 ? Integer.parseInt(args[3]) : 300;

        call(base, admin, "POST", "environments", "{\"name\":\"bench\"}");
        for (int j = 0; j < 100; j++) {
            call(base, admin, "PUT", "entities/job/J-" + j, "{\"environment\":\"bench\",\"title\":\"job " + j + "\"}");
        }
        String agent = register(base, admin, "declarer");
        seed(jdbc, 10_000);

        // warm-up, not measured: 30 calls leave the service's hot path interpreted (C2 compiles after thousands
        // of invocations), so the figure would be the JIT's, not the code's
        int warmUp = Integer.parseInt(System.getenv().getOrDefault("WARMUP_DECLARATIONS", "500"));
        for (int k = 0; k < warmUp; k++) {
            declare(base, agent, k);
        }
        List<Long> micros = new ArrayList<>();
        int granted = 0;
        for (int k = 0; k < declarations; k++) {
            long start = System.nanoTime();
            int status = declare(base, agent, warmUp + k);
            micros.add((System.nanoTime() - start) / 1000);
            if (status == 201) {
                granted++;
            }
        }
        Collections.sort(micros);
        System.out.printf("P4: %d declarations of 20 files (15 paths, 5 globs) over 10,000 active intents%n", declarations);
        System.out.printf("  p50 %.1f ms, p99 %.1f ms, max %.1f ms; %d created (201), %d refused (409)%n",
                micros.get(micros.size() / 2) / 1000.0, micros.get((int) (micros.size() * 0.99)) / 1000.0,
                micros.get(micros.size() - 1) / 1000.0, granted, declarations - granted);
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from intent where status = 'ACTIVE'")) {
            r.next();
            System.out.println("  active intents at the end: " + r.getLong(1));
        }
    }

    /** 10,000 intents of 20 other agents, 2 files each under pkg0..99/mod0..9/, levels 1-2. */
    static void seed(String jdbc, int count) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "")) {
            c.setAutoCommit(false);
            try (PreparedStatement intent = c.prepareStatement("""
                    insert into intent (environment, entity_id, entity, agent, description, priority, lease_seconds,
                                        fencing_token, status, created_at, expires_at)
                    select 'bench', e.id, 'job/' || e.key, ?, 'seeded', 5, 86400, nextval('fencing_token_seq'),
                           'ACTIVE', now(), now() + interval '1 day'
                    from entity e where e.kind = 'job' and e.key = ? returning id""");
                 PreparedStatement file = c.prepareStatement("""
                    insert into intent_file (intent_id, agent, path, prefix, level, status) values (?, ?, ?, ?, ?, 'HELD')""")) {
                for (int k = 0; k < count; k++) {
                    intent.setString(1, "seed-agent-" + (k % 20));
                    intent.setString(2, "J-" + (k % 100));
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
                    if (k % 500 == 499) {
                        file.executeBatch();
                    }
                }
                file.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze"); // as autovacuum would after a bulk load
            }
        }
    }

    static int declare(String base, String token, int n) throws Exception {
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
        String body = "{\"entity\":\"job/J-" + (n % 100) + "\",\"description\":\"bench\",\"leaseSeconds\":3600,"
                + "\"mode\":\"" + System.getenv().getOrDefault("DECLARE_MODE", "all-or-nothing") + "\",\"files\":[" + files + "]}";
        return call(base, token, "POST", "environments/bench/intents", body).statusCode();
    }

    static String register(String base, String admin, String id) throws Exception {
        HttpResponse<String> r = call(base, admin, "POST", "agents",
                "{\"id\":\"" + id + "\",\"displayName\":\"" + id + "\",\"roles\":[\"worker\"]}");
        Matcher m = TOKEN.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no token in " + r.body());
        }
        return m.group(1);
    }

    static HttpResponse<String> call(String base, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 500) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }
}
