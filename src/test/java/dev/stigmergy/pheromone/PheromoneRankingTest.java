package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ranking read through {@code pheromone_aggregate} answers exactly what summing every visible deposit
 * answers (the reference below is the scan the ranking replaced), at controlled clock times, across half-life
 * overrides, floors, expiry, verdicts, removals, sweeps and concurrent deposits.
 */
@QuarkusTest
class PheromoneRankingTest {

    @Inject
    MutableClock clock;

    @Inject
    EntityManager em;

    @Inject
    PheromoneSweep sweep;

    /** One ranked pair as the API or the reference answers it. */
    record Ranked(String entity, String type, double total, long count, List<String> depositors) {
    }

    @Test
    void exponentialRankingWithOverridesMatchesTheScanOverTime() {
        String env = Api.environment();
        // half-life 100 s, overrides from 10 s to 1000 s: shorter ones decay faster, longer ones outlive the
        // type's curve, the loosest case for the bound
        String type = Fixtures.exponentialType(100, Map.of("maxIntensity", 50));
        Random random = new Random(42);
        List<Api.Agent> agents = List.of(Api.agent(), Api.agent(), Api.agent());
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String job = Api.job(env);
            jobs.add(job);
            for (Api.Agent agent : agents) {
                if (random.nextInt(3) == 0) {
                    continue;
                }
                Map<String, Object> body = new HashMap<>(Map.of("type", type, "intensity", 0.5 + random.nextInt(40) / 4.0));
                int pick = random.nextInt(4);
                if (pick > 0) {
                    body.put("halfLifeSeconds", new long[]{10, 100, 1000}[pick - 1]);
                }
                agent.call().body(body).post("/entities/job/" + job + "/pheromones").then().statusCode(201);
            }
            clock.advance(Duration.ofSeconds(7));
        }
        for (int step = 0; step < 8; step++) {
            assertSameAsScan(type, env, null, 0, null, 50);
            assertSameAsScan(type, env, null, 0, null, 3);
            assertSameAsScan(type, env, null, 2.5, null, 10);
            assertSameAsScan(type, env, null, 0, agents.get(0).id(), 5);
            clock.advance(Duration.ofSeconds(90));
        }
        // after every deposit fell under its floor nothing is ranked, swept or not
        clock.advance(Duration.ofDays(3));
        assertEquals(List.of(), api(type, env, null, 0, null, 50));
        sweep.sweep();
        assertEquals(0L, aggregateRows(type));
    }

    /**
     * A deposit stamped after the reader's now (a replica whose clock runs ahead) counts at its deposited intensity,
     * as {@link DecayPolicy.Exponential#intensityAt} has it: decay never runs backwards into growth (which overflowed
     * a double and answered 500 for a deposit far enough ahead).
     */
    @Test
    void aDepositStampedAheadOfTheReadersClockCountsAtItsDepositedIntensity() {
        String env = Api.environment();
        String type = Fixtures.exponentialType(60, Map.of());
        String job = Api.job(env);
        long id = Fixtures.deposit(Api.agent(), job, type, 3.0);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                update pheromone set deposited_at = deposited_at + interval '400 days',
                                     visible_until = visible_until + interval '400 days' where id = :id""")
                .setParameter("id", id).executeUpdate());

        List<Ranked> ranked = api(type, env, null, 0, null, 5);

        assertEquals(1, ranked.size());
        assertEquals(3.0, ranked.get(0).total(), 1e-9);
    }

    @Test
    void repeatDepositsVerdictsAndRemovalsKeepTheRankingExact() {
        String env = Api.environment();
        String type = Fixtures.exponentialType(300, Map.of());
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        String hot = Api.job(env);
        String warm = Api.job(env);
        String cold = Api.job(env);
        long aHot = Fixtures.deposit(a, hot, type, 6.0);
        Fixtures.deposit(b, hot, type, 1.0);
        long bWarm = Fixtures.deposit(b, warm, type, 5.0);
        Fixtures.deposit(a, cold, type, 2.0);
        assertSameAsScan(type, env, null, 0, null, 2);
        clock.advance(Duration.ofSeconds(150));
        b.call().body(Map.of("type", type, "intensity", 4.0)).post("/entities/job/" + warm + "/pheromones")
                .then().statusCode(200); // a repeat: folds decay in, then adds
        assertSameAsScan(type, env, null, 0, null, 1);
        assertBoundsAreRecomputed(type);
        Api.asAdmin().body(Map.of("approve", false, "penalty", 4.0)).post("/pheromones/" + aHot + "/verdicts")
                .then().statusCode(201);
        assertSameAsScan(type, env, null, 0, null, 3);
        b.call().delete("/pheromones/" + bWarm).then().statusCode(204);
        List<Ranked> after = assertSameAsScan(type, env, null, 0, null, 3);
        assertBoundsAreRecomputed(type);
        // hot: 6·2^(−150/300) − 4 + 1·2^(−150/300) ≈ 0.95 now sits under cold: 2·2^(−150/300) ≈ 1.41
        assertEquals(List.of("job/" + cold, "job/" + hot), after.stream().map(Ranked::entity).toList());
    }

    @Test
    void depositsThousandsOfHalfLivesApartKeepWorking() {
        // 2^-2000 is below the smallest double: summing such terms, or decaying an unswept deposit that far,
        // must count 0, not fail (PostgreSQL's power() raises an underflow error)
        String env = Api.environment();
        String type = Fixtures.exponentialType(1, Map.of());
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        Api.Agent c = Api.agent();
        String job = Api.job(env);
        long old = Fixtures.deposit(a, job, type, 5.0);
        Fixtures.deposit(c, job, type, 5.0);
        clock.advance(Duration.ofSeconds(2000)); // both invisible now, not swept
        Fixtures.deposit(b, job, type, 3.0);
        a.call().body(Map.of("type", type, "intensity", 2.0)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(200); // a repeat of an evaporated deposit starts afresh
        assertEquals(2.0, Fixtures.intensity(old), 1e-9);
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200);
        List<Ranked> ranked = assertSameAsScan(type, env, null, 0, null, 5);
        assertEquals(5.0, ranked.get(0).total(), 1e-9);
        assertEquals(2, ranked.get(0).count());
        assertBoundsAreRecomputed(type);
    }

    @Test
    void expiryAndPermanentRankingMatchesTheScanBeforeAndAfterTheSweep() {
        String env = Api.environment();
        String type = Fixtures.expiryType(60);
        Api.Agent a = Api.agent();
        Api.Agent b = Api.agent();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String job = Api.job(env);
            jobs.add(job);
            Fixtures.deposit(a, job, type, 1.0 + i % 4); // ties on purpose: the tie-break decides
            if (i % 3 == 0) {
                clock.advance(Duration.ofSeconds(20));
                Fixtures.deposit(b, job, type, 2.0);
            }
        }
        assertSameAsScan(type, env, null, 0, null, 5);
        clock.advance(Duration.ofSeconds(45)); // some deposits expired, still unswept
        assertSameAsScan(type, env, null, 0, null, 5);
        assertSameAsScan(type, env, null, 2, b.id(), 50);
        sweep.sweep();
        assertSameAsScan(type, env, null, 0, null, 5);
    }

    @Test
    void reinforcementOnlyRankingFollowsTheVerdictsInTheirWindow() {
        String env = Api.environment();
        String type = Fixtures.reinforcementOnlyType(100);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String job = Api.job(env);
            ids.add(((Number) Api.agent().call().body(Map.of("type", type)).post("/entities/job/" + job + "/pheromones")
                    .then().statusCode(201).extract().path("id")).longValue());
        }
        for (int i = 0; i < ids.size(); i++) {
            Api.asAdmin().body(Map.of("approve", true, "boost", 1.0 + i)).post("/pheromones/" + ids.get(i) + "/verdicts")
                    .then().statusCode(201);
        }
        assertSameAsScan(type, env, null, 0, null, 2);
        clock.advance(Duration.ofSeconds(60));
        Api.asAdmin().body(Map.of("approve", true, "boost", 9.0)).post("/pheromones/" + ids.get(0) + "/verdicts")
                .then().statusCode(201);
        assertSameAsScan(type, env, null, 0, null, 2);
        clock.advance(Duration.ofSeconds(50)); // the first verdicts left the window
        List<Ranked> ranked = assertSameAsScan(type, env, null, 0, null, 5);
        assertEquals(1, ranked.size());
    }

    /**
     * V94: a REINFORCEMENT_ONLY pair is bounded by its approvals (each pheromone's positive deltas, capped at
     * maxIntensity), not by maxIntensity per deposit; rejections and the window leave the bound above the total.
     */
    @Test
    void reinforcementOnlyBoundsFollowTheApprovalsNotTheMaximum() {
        String env = Api.environment();
        String type = Fixtures.reinforcementOnlyType(100);
        String job = Api.job(env);
        long id = ((Number) Api.agent().call().body(Map.of("type", type)).post("/entities/job/" + job + "/pheromones")
                .then().statusCode(201).extract().path("id")).longValue();
        assertEquals(0L, aggregateRows(type)); // never approved: strength 0, nothing to rank
        verdict(id, true, 2.0);
        assertEquals(1.0, boundKey(type), 1e-12); // log2 2
        verdict(id, false, 1.5);
        assertEquals(1.0, boundKey(type), 1e-12);
        assertEquals(0.5, assertSameAsScan(type, env, null, 0, null, 5).get(0).total(), 1e-9);
        verdict(id, true, 9.0);
        assertEquals(Math.log(10) / Math.log(2), boundKey(type), 1e-12); // 2 + 9, capped at maxIntensity 10
        clock.advance(Duration.ofSeconds(150)); // every verdict left the window
        assertEquals(List.of(), assertSameAsScan(type, env, null, 0, null, 5));
        String other = Api.job(env);
        for (int i = 0; i < 4; i++) {
            long more = ((Number) Api.agent().call().body(Map.of("type", type))
                    .post("/entities/job/" + (i % 2 == 0 ? job : other) + "/pheromones")
                    .then().statusCode(201).extract().path("id")).longValue();
            verdict(more, true, 1.0 + i);
        }
        assertSameAsScan(type, env, null, 0, null, 1);
        assertSameAsScan(type, env, null, 0, null, 5);
    }

    /** depositorLimit (issue 30) cuts the names an aggregate lists: never its place, total or count. */
    @Test
    void depositorLimitListsTheFirstNamesAndKeepsTheCounts() {
        String env = Api.environment();
        String type = Fixtures.expiryType(3600);
        String job = Api.job(env);
        List<Api.Agent> agents = List.of(Api.agent(), Api.agent(), Api.agent());
        for (Api.Agent a : agents) {
            Fixtures.deposit(a, job, type, 1.0);
        }
        Fixtures.deposit(agents.get(0), Api.job(env), type, 2.0);
        List<Ranked> all = assertSameAsScan(type, env, null, 0, null, 5);
        assertEquals(3, all.get(0).depositors().size());
        for (int n : new int[]{0, 1, 2, 3, 1000}) {
            List<Ranked> cut = api(type, env, null, 0, null, 5, n);
            assertEquals(all.size(), cut.size());
            for (int i = 0; i < all.size(); i++) {
                Ranked whole = all.get(i);
                assertEquals(new Ranked(whole.entity(), whole.type(), whole.total(), whole.count(),
                        whole.depositors().subList(0, Math.min(n, whole.depositors().size()))), cut.get(i));
            }
        }
        for (int bad : new int[]{-1, 1001}) {
            Api.asAdmin().queryParam("type", type).queryParam("depositorLimit", bad).get("/pheromones/ranking")
                    .then().statusCode(400);
        }
    }

    private void verdict(long id, boolean approve, double amount) {
        Api.asAdmin().body(Map.of("approve", approve, approve ? "boost" : "penalty", amount))
                .post("/pheromones/" + id + "/verdicts").then().statusCode(201);
    }

    private double boundKey(String type) {
        return ((Number) em.createNativeQuery("select bound_key from pheromone_aggregate where type = :type")
                .setParameter("type", type).getSingleResult()).doubleValue();
    }

    @Test
    void kindAndEnvironmentFiltersMatchTheScan() {
        String env = Api.environment();
        String other = Api.environment();
        String type = Fixtures.exponentialType(600, Map.of());
        Api.Agent a = Api.agent();
        for (int i = 0; i < 6; i++) {
            String job = Api.job(i % 2 == 0 ? env : other);
            Fixtures.deposit(a, job, type, 1.0 + i);
            String mr = Api.fresh("MR");
            Api.asAdmin().body(Map.of("environment", env, "title", "MR " + mr)).put("/entities/merge-request/" + mr)
                    .then().statusCode(201);
            a.call().body(Map.of("type", type, "intensity", 0.5 + i)).post("/entities/merge-request/" + mr + "/pheromones")
                    .then().statusCode(201);
        }
        assertSameAsScan(type, env, "merge-request", 0, null, 4);
        assertSameAsScan(type, env, "job", 0, null, 4);
        assertSameAsScan(type, other, null, 0, null, 50);
    }

    @Test
    void concurrentDepositsOnOnePairKeepTheAggregateExact() throws Exception {
        String env = Api.environment();
        String type = Fixtures.expiryType(3600);
        String job = Api.job(env);
        List<Api.Agent> agents = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            agents.add(Api.agent());
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            // first deposits add their terms (V57); repeats raise them in place (V60)
            for (int round = 1; round <= 2; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> calls = new ArrayList<>();
                for (Api.Agent agent : agents) {
                    calls.add(pool.submit(() -> {
                        start.await();
                        return agent.call().body(Map.of("type", type, "intensity", 1.5))
                                .post("/entities/job/" + job + "/pheromones").then().extract().statusCode();
                    }));
                }
                start.countDown();
                for (Future<Integer> call : calls) {
                    assertEquals(round == 1 ? 201 : 200, call.get(60, TimeUnit.SECONDS));
                }
                // the stored key is the one recomputed from the rows: no deposit's term was lost
                double stored = ((Number) em.createNativeQuery("select bound_key from pheromone_aggregate a join entity e"
                                + " on e.id = a.entity_id where e.key = :key and a.type = :type")
                        .setParameter("key", job).setParameter("type", type).getSingleResult()).doubleValue();
                assertEquals(Math.log(16 * 1.5 * round) / Math.log(2), stored, 1e-12);
                List<Ranked> ranked = assertSameAsScan(type, env, null, 0, null, 1);
                assertEquals(24.0 * round, ranked.get(0).total(), 1e-9);
                assertEquals(16, ranked.get(0).count());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Asserts that the API's ranking at the clock's now equals the reference scan; answers it. */
    private List<Ranked> assertSameAsScan(String type, String env, String kind, double min, String exclude, int limit) {
        List<Ranked> actual = api(type, env, kind, min, exclude, limit);
        List<Ranked> expected = scan(type, env, kind, min, exclude, limit, clock.instant());
        assertEquals(expected.stream().map(Ranked::entity).toList(), actual.stream().map(Ranked::entity).toList(),
                "ranking of " + type + " limit " + limit + " min " + min + " exclude " + exclude);
        for (int i = 0; i < expected.size(); i++) {
            Ranked e = expected.get(i);
            Ranked a = actual.get(i);
            assertEquals(e.total(), a.total(), 1e-9 * Math.max(1, e.total()), e.entity());
            assertEquals(e.count(), a.count(), e.entity());
            assertEquals(e.depositors(), a.depositors(), e.entity());
            assertTrue(a.total() > 0 && a.total() >= min);
        }
        return actual;
    }

    private List<Ranked> api(String type, String env, String kind, double min, String exclude, int limit) {
        return api(type, env, kind, min, exclude, limit, null);
    }

    private List<Ranked> api(String type, String env, String kind, double min, String exclude, int limit,
                             Integer depositorLimit) {
        var request = Api.asAdmin().queryParam("type", type).queryParam("environment", env)
                .queryParam("minIntensity", min).queryParam("limit", limit);
        if (depositorLimit != null) {
            request.queryParam("depositorLimit", depositorLimit);
        }
        if (kind != null) {
            request.queryParam("kind", kind);
        }
        if (exclude != null) {
            request.queryParam("excludeAgent", exclude);
        }
        String body = request.get("/pheromones/ranking").then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(body).using(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE));
        List<Ranked> out = new ArrayList<>();
        for (Map<String, Object> m : json.<Map<String, Object>>getList("aggregates")) {
            @SuppressWarnings("unchecked") List<String> depositors = (List<String>) m.get("depositors");
            out.add(new Ranked((String) m.get("entity"), (String) m.get("type"), ((Number) m.get("totalIntensity")).doubleValue(),
                    ((Number) m.get("count")).longValue(), depositors));
        }
        return out;
    }

    /** The scan the ranking replaced: sum every visible deposit of the type, sort, cut. */
    private List<Ranked> scan(String type, String env, String kind, double min, String exclude, int limit, Instant now) {
        String sql = "select p.entity_kind || '/' || p.entity_key, p.type, sum(" + PheromoneRepository.CURRENT
                + ") as total, count(*), array_agg(p.agent order by p.agent)"
                + " from pheromone p join signal_type t on t.name = p.type"
                + " where p.type = :type and " + PheromoneRepository.VISIBLE + " and p.environment = :env"
                + (kind == null ? "" : " and p.entity_kind = :kind")
                + (exclude == null ? "" : " and not exists (select 1 from pheromone x where x.entity_id = p.entity_id"
                + " and x.type = p.type and x.agent = :exclude"
                + " and (x.visible_until is null or x.visible_until > cast(:now as timestamptz)))")
                + " group by p.entity_id, p.entity_kind, p.entity_key, p.type"
                + " having sum(" + PheromoneRepository.CURRENT + ") >= :min and sum(" + PheromoneRepository.CURRENT + ") > 0"
                + " order by total desc, p.entity_kind, p.entity_key, p.type limit :limit";
        var q = em.createNativeQuery(sql).setParameter("type", type).setParameter("env", env).setParameter("now", now)
                .setParameter("min", min).setParameter("limit", limit);
        if (kind != null) {
            q.setParameter("kind", kind);
        }
        if (exclude != null) {
            q.setParameter("exclude", exclude);
        }
        List<Ranked> out = new ArrayList<>();
        for (Object o : q.getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new Ranked((String) r[0], (String) r[1], ((Number) r[2]).doubleValue(), ((Number) r[3]).longValue(),
                    List.of((String[]) r[4])));
        }
        return out;
    }

    /**
     * V62 rewrote the decay term so that it inlines (db.SqlFunctionInliningTest); it must answer what V55's term
     * answered, bit for bit, so bounds stored before V62 stay comparable with those written after.
     */
    @Test
    void theDecayTermAnswersWhatV55Answered() {
        Number differing = (Number) em.createNativeQuery("""
                        with inputs as (
                            select t.decay_kind, t.half_life_seconds as th, t.max_intensity, i, d, h, vu
                              from (select distinct decay_kind, half_life_seconds, max_intensity from signal_type) t,
                                   (values (1.0::float8), (0.0001), (7.3), (0), (-1)) iv(i),
                                   (select timestamptz '2026-12-01 10:00:00.123457+00' + g * interval '37.123457 s' as d
                                      from generate_series(-100000, 100000, 9973) g) dv,
                                   (values (null::bigint), (1), (1800), (100000)) hv(h),
                                   (values (null::timestamptz), (timestamptz '2026-12-01 13:00:00.000001+00'),
                                           (timestamptz '2025-06-01 12:00:00.123456+00')) vv(vu))
                        select count(*) filter (where pheromone_bound_term(decay_kind, th, max_intensity, i, d, h, vu)
                            is distinct from case
                                when decay_kind = 'REINFORCEMENT_ONLY' then ln(max_intensity) / ln(2.0)
                                when i <= 0 then null
                                when decay_kind <> 'EXPONENTIAL' then ln(i) / ln(2.0)
                                when coalesce(h, th) <= th or vu is null
                                    then ln(i) / ln(2.0) + cast(extract(epoch from d) - 1767225600 as double precision) / th
                                else ln(i) / ln(2.0) - cast(extract(epoch from vu - d) as double precision) / h
                                     + cast(extract(epoch from vu) - 1767225600 as double precision) / th end)
                          from inputs""").getSingleResult();
        assertEquals(0, differing.longValue());
    }

    private long aggregateRows(String type) {
        return ((Number) em.createNativeQuery("select count(*) from pheromone_aggregate where type = :type")
                .setParameter("type", type).getSingleResult()).longValue();
    }

    /** Every stored bound of the type equals the one recomputed from its rows (V55's formula). */
    private void assertBoundsAreRecomputed(String type) {
        List<?> rows = em.createNativeQuery("""
                        select a.bound_key, (select max(b.term) + ln(sum(pow2(b.term - b.m))) / ln(2.0)
                                               from (select x.term, max(x.term) over () as m
                                                       from (select pheromone_bound_term(t.decay_kind, t.half_life_seconds,
                                                                    t.max_intensity, p.intensity, p.deposited_at,
                                                                    p.half_life_seconds, p.visible_until) as term
                                                               from pheromone p join signal_type t on t.name = p.type
                                                              where p.entity_id = a.entity_id and p.type = a.type) x
                                                      where x.term is not null) b)
                          from pheromone_aggregate a where a.type = :type""")
                .setParameter("type", type).getResultList();
        assertTrue(!rows.isEmpty());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            assertEquals(((Number) r[1]).doubleValue(), ((Number) r[0]).doubleValue(), 1e-12);
        }
    }
}
