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
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ranking for every decay kind (issue 30): top 50 entities by one type through HTTP ({@code GET
 * /pheromones/ranking?type=T&environment=E&limit=50}) among 100,000 entities carrying ~1,000,000 pheromones of
 * that type, for EXPIRY, EXPONENTIAL with a floor (0.05), EXPONENTIAL with a negligible floor (1e-9: the policy
 * requires one > 0) and REINFORCEMENT_ONLY (one verdict per pheromone in the window), while DEPOSITORS clients
 * deposit on random entities of the same types through HTTP.
 * <p>
 * Per type: 1,000 entities carry 100 depositors each (they top the ranking: the ranking sums 100 rows per
 * candidate) and 99,000 carry 9, so 991,000 pheromones; 3,964,000 for the four types. The rows are seeded with SQL
 * in the shape the service writes (a deposit of each type through HTTP is read back first), the aggregate trigger
 * bypassed and {@code pheromone_aggregate} built set-based as V55 does for existing rows (as bench/pheromone/p3_p5.sh).
 * <pre>java -cp 'target/quarkus-app/lib/main/* 'P12RankingBench.java BASE_URL ADMIN_TOKEN JDBC_URL</pre>
 * Environment: RANKINGS (measured per type, default 300), DEPOSITORS (default 4), QUERY (appended to each ranking's
 * query string, e.g. {@code &depositorLimit=0}), SEED_ONLY (1: stop after seeding). A database that already holds the
 * seeded entities (a copy of a seeded one, ranking.sh's STIGMERGY_BENCH_SEED_DB) is not seeded again.
 */
public class P12RankingBench {

    static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");
    static final int ENTITIES = 100_000, HEAVY = 1_000;

    record Kind(String type, String policy) {
    }

    static final List<Kind> KINDS = List.of(
            new Kind("rank_expiry", "{\"kind\":\"EXPIRY\",\"ttlSeconds\":2592000}"),
            new Kind("rank_exp_floor", "{\"kind\":\"EXPONENTIAL\",\"halfLifeSeconds\":3600,\"floor\":0.05}"),
            new Kind("rank_exp_nofloor", "{\"kind\":\"EXPONENTIAL\",\"halfLifeSeconds\":3600,\"floor\":1e-9}"),
            new Kind("rank_reinforced", "{\"kind\":\"REINFORCEMENT_ONLY\",\"windowSeconds\":86400}"));

    static HttpClient http;

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    static void run(String[] args) throws Exception {
        String base = args[0], admin = args[1], jdbc = args[2];
        int rankings = Integer.parseInt(System.getenv().getOrDefault("RANKINGS", "300"));
        int depositors = Integer.parseInt(System.getenv().getOrDefault("DEPOSITORS", "4"));
        String query = System.getenv().getOrDefault("QUERY", "");
        boolean seedOnly = "1".equals(System.getenv("SEED_ONLY"));
        URI uri = URI.create(base);
        http = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1)).createHttpClient(
                new HttpClientOptions().setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()),
                new PoolOptions().setHttp1MaxSize(depositors + 1));
        String env = "rank";
        boolean seeded;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement();
             var r = s.executeQuery("select count(*) from entity where environment = 'rank'")) {
            r.next();
            seeded = r.getLong(1) >= ENTITIES;
        }
        // agents of this run: a reused seed already holds the earlier runs' agents
        String run = Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        String agent = token(send(admin, "POST", "/agents", "{\"id\":\"ranker-" + run + "\",\"displayName\":\"r\",\"roles\":[\"agent\"]}", 201));
        if (seeded) {
            System.out.println("reused a seeded database");
        } else {
            seed(admin, agent, env, jdbc);
        }
        if (seedOnly) {
            return;
        }
        measure(admin, agent, env, run, rankings, depositors, query);
    }

    static void seed(String admin, String agent, String env, String jdbc) throws Exception {
        send(admin, "POST", "/environments", "{\"name\":\"" + env + "\"}", 201);
        for (Kind k : KINDS) {
            send(admin, "POST", "/signal-types", "{\"name\":\"" + k.type + "\",\"decay\":" + k.policy
                    + ",\"writeRoles\":[\"*\"],\"reinforceRoles\":[\"validator\",\"admin\"]}", 201);
        }
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("""
                    insert into entity (kind, key, environment, title, status, created_at, created_by, updated_at)
                    select 'job', 'R-' || g, 'rank', 'r', 'open', now(), 'bench', now() from generate_series(1, %d) g"""
                    .formatted(ENTITIES));
        }
        // one deposit of each type through the service: the row shape the seed copies
        for (Kind k : KINDS) {
            send(agent, "POST", "/entities/job/R-1/pheromones", "{\"type\":\"" + k.type + "\""
                    + (k.type.equals("rank_reinforced") ? "" : ",\"intensity\":1.0") + "}", 201);
        }
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("alter table pheromone disable trigger pheromone_aggregate_insert");
            for (Kind k : KINDS) {
                // n: depositors of the entity; v: intensity 0.5-10; at: within the last hour
                s.execute("""
                        insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity,
                                               deposited_at, created_at, half_life_seconds, visible_until, rank_key)
                        select e.id, 'job', e.key, 'rank', '%1$s', 'dep-' || a, v, at, at, p.half_life_seconds,
                               case when t.decay_kind = 'EXPONENTIAL'
                                    then at + t.half_life_seconds * log(2, (v / t.floor)::numeric) * interval '1 second'
                                    when t.decay_kind = 'EXPIRY' then at + t.ttl_seconds * interval '1 second'
                                    else p.visible_until end,
                               case when t.decay_kind = 'EXPONENTIAL' then log(2, v::numeric) + extract(epoch from at) / t.half_life_seconds
                                    else p.rank_key end
                          from (select e.id, e.key, a, 0.5 + 9.5 * random() as v, now() - random() * interval '1 hour' as at
                                  from entity e
                                 cross join lateral generate_series(2, case when e.id %% %2$d = 0 then 100 else 9 end + 1) a
                                 where e.environment = 'rank') e
                          join signal_type t on t.name = '%1$s'
                          join pheromone p on p.type = '%1$s' and p.entity_key = 'R-1' and p.environment = 'rank'
                        """.formatted(k.type, ENTITIES / HEAVY));
            }
            s.execute("alter table pheromone enable trigger pheromone_aggregate_insert");
            // REINFORCEMENT_ONLY strength is the sum of verdicts in the window: one verdict per pheromone (the
            // aggregates are rebuilt below: the update trigger would add V94's verdict gains one pair at a time)
            s.execute("alter table pheromone disable trigger pheromone_aggregate_update");
            s.execute("""
                    insert into pheromone_verdict (pheromone_id, validator, role, approve, delta, trigger,
                                                   intensity_before, intensity_after, decided_at)
                    select id, 'bench-validator', 'validator', true, intensity, 'seed', 0, least(intensity, 10),
                           deposited_at
                      from pheromone where type = 'rank_reinforced' and environment = 'rank' and agent like 'dep-%'""");
            s.execute("alter table pheromone enable trigger pheromone_aggregate_update");
            boolean gains; // V94: REINFORCEMENT_ONLY terms bounded by the verdicts' gains
            try (var r = s.executeQuery("select count(*) from information_schema.columns"
                    + " where table_name = 'pheromone' and column_name = 'verdict_gain'")) {
                r.next();
                gains = r.getLong(1) > 0;
            }
            s.execute("delete from pheromone_aggregate where environment = 'rank'");
            s.execute("""
                    insert into pheromone_aggregate (entity_id, type, entity_kind, entity_key, environment, bound_key)
                    select entity_id, type, min(entity_kind), min(entity_key), min(environment), m + ln(sum(power(2.0, term - m))) / ln(2.0)
                      from (select p.entity_id, p.type, p.entity_kind, p.entity_key, p.environment, b.term,
                                   max(b.term) over (partition by p.entity_id, p.type) as m
                              from pheromone p join signal_type t on t.name = p.type
                             cross join lateral (select pheromone_bound_term(t.decay_kind, t.half_life_seconds, t.max_intensity,
                                                 p.intensity, p.deposited_at, p.half_life_seconds, p.visible_until%s) as term) b
                             where p.environment = 'rank') s
                     where term is not null
                     group by entity_id, type, m""".formatted(gains ? ", p.verdict_gain" : ""));
            s.execute("analyze");
        }
        System.out.printf("seeded %d entities, %d pheromones per type (%d heavy entities with 100 depositors) in %.0f s%n",
                ENTITIES, HEAVY * 100 + (ENTITIES - HEAVY) * 9, HEAVY, (System.nanoTime() - t0) / 1e9);
    }

    static void measure(String admin, String agent, String env, String run, int rankings, int depositors, String query)
            throws Exception {

        // deposits running meanwhile: DEPOSITORS agents, closed loops, random entity and type
        String[] tokens = new String[depositors];
        for (int d = 0; d < depositors; d++) {
            tokens[d] = token(send(admin, "POST", "/agents", "{\"id\":\"depositor-" + run + "-" + d + "\",\"displayName\":\"d\",\"roles\":[\"agent\"]}", 201));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong deposits = new AtomicLong();
        for (int d = 0; d < depositors; d++) {
            depositLoop(tokens[d], stop, deposits);
        }
        System.out.println("| type (decay) | p50 ms | p99 ms | max ms | rankings | deposits/s meanwhile |");
        System.out.println("|---|---|---|---|---|---|");
        for (Kind k : KINDS) {
            String path = "/pheromones/ranking?type=" + k.type + "&environment=" + env + "&limit=50" + query;
            for (int i = 0; i < 20; i++) {
                send(agent, "GET", path, null, 200);
            }
            long d0 = deposits.get(), w0 = System.nanoTime();
            long[] nanos = new long[rankings];
            for (int i = 0; i < rankings; i++) {
                long t = System.nanoTime();
                send(agent, "GET", path, null, 200);
                nanos[i] = System.nanoTime() - t;
            }
            double rate = (deposits.get() - d0) / ((System.nanoTime() - w0) / 1e9);
            Arrays.sort(nanos);
            System.out.printf("| %s %s | %.2f | %.2f | %.2f | %d | %.0f |%n", k.type, k.policy.replace("\"", ""),
                    nanos[rankings / 2] / 1e6, nanos[(int) (rankings * 0.99)] / 1e6, nanos[rankings - 1] / 1e6, rankings, rate);
        }
        stop.set(true);
    }

    static void depositLoop(String token, AtomicBoolean stop, AtomicLong deposits) {
        if (stop.get()) return;
        Kind k = KINDS.get(ThreadLocalRandom.current().nextInt(KINDS.size()));
        String body = "{\"type\":\"" + k.type + "\"" + (k.type.equals("rank_reinforced") ? "" : ",\"intensity\":1.0") + "}";
        call(token, HttpMethod.POST, "/entities/job/R-" + (1 + ThreadLocalRandom.current().nextInt(ENTITIES)) + "/pheromones", body)
                .onComplete(r -> {
                    if (r.succeeded() && (r.result().status == 200 || r.result().status == 201)) {
                        deposits.incrementAndGet();
                        depositLoop(token, stop, deposits);
                    } else if (!stop.get()) {
                        System.err.println("deposit failed: " + (r.succeeded() ? r.result().status + " " + r.result().body : r.cause()));
                    }
                });
    }

    record Answer(int status, String body) {
    }

    static Future<Answer> call(String token, HttpMethod method, String path, String body) {
        return http.request(method, path).compose(request -> {
            request.putHeader("Authorization", "Bearer " + token);
            return body == null ? request.send()
                    : request.putHeader("Content-Type", "application/json").send(Buffer.buffer(body));
        }).compose(response -> response.body().map(b -> new Answer(response.statusCode(), b.toString())));
    }

    static String send(String token, String method, String path, String body, int expected) throws Exception {
        Answer a = call(token, HttpMethod.valueOf(method), path, body).toCompletionStage().toCompletableFuture().get();
        if (a.status != expected) throw new IllegalStateException(method + " " + path + " answered " + a.status + ": " + a.body);
        return a.body;
    }

    static String token(String body) {
        Matcher m = TOKEN.matcher(body);
        if (!m.find()) throw new IllegalStateException("no token in " + body);
        return m.group(1);
    }
}
