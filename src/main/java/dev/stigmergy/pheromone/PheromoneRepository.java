package dev.stigmergy.pheromone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.db.Sql;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.event.EventRows;
import dev.stigmergy.lease.RenewedLease;
import jakarta.enterprise.context.ApplicationScoped;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * Every read and write of {@code pheromone} rows: the {@link Pheromone} entities through Panache, and the SQL of
 * depositing, sensing, ranking, claiming and sweeping. Decides nothing: the services hold the rules. Current intensity is one SQL expression ({@link #CURRENT}) over
 * a pheromone {@code p} and its type {@code t}, evaluated at the bound {@code :now}: decay costs no writes.
 */
@ApplicationScoped
class PheromoneRepository implements PanacheRepositoryBase<Pheromone, Long> {

    /**
     * The next candidates of one type after ({@code :afterKey}, {@code :afterId}) in bound order, each with its
     * exact total, count, depositors and whether the excluded agent is among them (over visible pheromones;
     * total is null when none is visible). %s: current intensity, depositors, exclusion test, visibility.
     */
    private static final String RANKING_CANDIDATES = """
            select a.entity_id, a.bound_key, a.entity_kind, a.entity_key, a.environment,
                   x.total, x.n, x.agents, x.excluded
              from pheromone_aggregate a
             cross join lateral (
                   select sum(%s) as total, count(*) as n, %s as agents, %s as excluded
                     from pheromone p join signal_type t on t.name = p.type
                    where p.entity_id = a.entity_id and p.type = a.type and %s) x
             where a.type = :type and (a.bound_key, a.entity_id) < (:afterKey, :afterId)""";



    /**
     * Current intensity of p at :now (visibility is a separate predicate, {@link #VISIBLE}); the SQL form of
     * {@link DecayPolicy.Exponential#intensityAt}, elapsed time counted from 0 as there: a deposit stamped ahead of
     * :now (another replica's clock) never grows.
     */
    static final String CURRENT = """
            (case t.decay_kind
               when 'EXPONENTIAL' then p.intensity * pow2(-greatest(0.0, cast(extract(epoch from
                    (cast(:now as timestamptz) - p.deposited_at)) as double precision)) / p.half_life_seconds)
               when 'REINFORCEMENT_ONLY' then least(t.max_intensity, greatest(0.0, coalesce(
                    (select sum(v.delta) from pheromone_verdict v
                      where v.pheromone_id = p.id and v.decided_at <= cast(:now as timestamptz)
                        and v.decided_at > cast(:now as timestamptz) - t.window_seconds * interval '1 second'), 0.0)))
               else p.intensity end)""";

    /** p is visible at :now; an indexed comparison, no decay arithmetic. */
    static final String VISIBLE = "(p.visible_until is null or p.visible_until > cast(:now as timestamptz))";

    private final EntityManager em;
    private final Sql sql;
    private final ObjectMapper mapper;

    PheromoneRepository(EntityManager em, Sql sql, ObjectMapper mapper) {
        this.em = em;
        this.sql = sql;
        this.mapper = mapper;
    }

    /** A pheromone with its current intensity. */
    record Current(Pheromone pheromone, double intensity) {
    }

    /** Current intensity of one pheromone at {@code now} (0 when invisible). */
    double currentIntensity(long id, Instant now) {
        List<?> rows = em.createNativeQuery("select " + CURRENT + ", " + VISIBLE
                        + " from pheromone p join signal_type t on t.name = p.type where p.id = :id")
                .setParameter("now", now).setParameter("id", id).getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        Object[] row = (Object[]) rows.get(0);
        return (Boolean) row[1] ? ((Number) row[0]).doubleValue() : 0;
    }

    /** Visible pheromones of one entity with their current intensities, by type then depositor. */
    List<Current> visibleOn(long entityId, Instant now) {
        return visible("p.entity_id = :entity", "entity", entityId, now);
    }

    /** Visible pheromones of any of {@code entityIds} with their current intensities, by entity id, type, depositor. */
    List<Current> visibleOnEach(Collection<Long> entityIds, Instant now) {
        return entityIds.isEmpty() ? List.of() : visible("p.entity_id in (:entities)", "entities", entityIds, now);
    }

    @SuppressWarnings("unchecked")
    private List<Current> visible(String entities, String parameter, Object value, Instant now) {
        // rows and intensities in one native statement: a second query for the rows by id (HQL with an IN list)
        // cost a sense more of the service's CPU than the statement itself (benchmark P12's profile)
        List<Object[]> rows = em.createNativeQuery("select {p.*}, " + CURRENT + " as current_intensity"
                        + " from pheromone p join signal_type t on t.name = p.type"
                        + " where " + entities + " and " + VISIBLE + " order by p.entity_id, p.type, p.agent")
                .unwrap(NativeQuery.class)
                .addEntity("p", Pheromone.class)
                .addScalar("current_intensity", StandardBasicTypes.DOUBLE)
                .setParameter("now", now).setParameter(parameter, value).getResultList();
        List<Current> out = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            out.add(new Current((Pheromone) row[0], (Double) row[1]));
        }
        return out;
    }

    /**
     * The (entity, type, depositor) pheromone, row-locked and loaded in one statement, or {@code null}. When
     * the persistence context held it already, the held instance is answered as it was: refresh it if it may
     * have been read before the lock.
     */
    Pheromone lockExisting(long entityId, String type, String agent) {
        List<?> rows = em.createNativeQuery("""
                        select * from pheromone where entity_id = :entity and type = :type and agent = :agent
                        for update""", Pheromone.class)
                .setParameter("entity", entityId).setParameter("type", type).setParameter("agent", agent)
                .getResultList();
        return rows.isEmpty() ? null : (Pheromone) rows.get(0);
    }

    /** The key of a deposit: one pheromone per (entity, type, depositor). */
    record DepositKey(long entityId, String type, String agent) {
    }

    /** A pheromone read without a lock, with its row version: PostgreSQL's {@code xmin}, which every write changes. */
    record Versioned(Pheromone pheromone, String rowVersion) {
    }

    /**
     * The pheromones of {@code keys} as last committed, unlocked and outside the persistence context, in one
     * statement: the read of a round of deposits that then writes each only if its row is unchanged ({@link
     * #writeRound}). Keys without a row are absent from the answer.
     * <p>Planned at each execution ({@link Sql#rowsPlannedEachTime}): prepared on a pooled connection while the
     * table is new and has no statistics, PostgreSQL's generic plan looks the key up through the {@code (type,
     * rank_key)} index (on an empty table its cost ties with the unique key's), a scan of every pheromone of the
     * type, and keeps that plan until an ANALYZE (benchmark P2 fell from ~55 % to 15 % of raw with autovacuum off).
     * Planning it costs a lone deposit some 0.1 ms; that is the price. {@link #writeRound} has no such choice.
     */
    Map<DepositKey, Versioned> readRound(List<DepositKey> keys) {
        Map<DepositKey, Versioned> out = new HashMap<>();
        Sql.RowReader<Void> read = row -> {
            Pheromone p = new Pheromone();
            p.id = row.getLong(1);
            p.entityKind = row.getString(2);
            p.entityKey = row.getString(3);
            p.environment = row.getString(4);
            p.intensity = row.getDouble(5);
            p.depositedAt = instant(row.getObject(6, OffsetDateTime.class));
            p.createdAt = instant(row.getObject(7, OffsetDateTime.class));
            p.halfLifeSeconds = row.getObject(8, Long.class);
            p.visibleUntil = instant(row.getObject(9, OffsetDateTime.class));
            p.rankKey = row.getObject(10, Double.class);
            p.payload = row.getString(11);
            p.claimHolder = row.getString(12);
            p.claimFencingToken = row.getObject(13, Long.class);
            p.claimLeaseSeconds = row.getObject(14, Long.class);
            p.claimExpiresAt = instant(row.getObject(15, OffsetDateTime.class));
            p.entityId = row.getLong(17);
            p.type = row.getString(18);
            p.agent = row.getString(19);
            out.put(new DepositKey(p.entityId, p.type, p.agent), new Versioned(p, row.getString(16)));
            return null;
        };
        long[] entityIds = new long[keys.size()];
        String[] types = new String[keys.size()];
        String[] agents = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            entityIds[i] = keys.get(i).entityId();
            types[i] = keys.get(i).type();
            agents[i] = keys.get(i).agent();
        }
        sql.rowsPlannedEachTime("select " + ROUND_READ_COLUMNS + """
                  from unnest(cast(? as bigint[]), cast(? as text[]), cast(? as text[])) as k(entity_id, type, agent)
                 cross join lateral (select *, xmin from pheromone x
                                      where x.entity_id = k.entity_id and x.type = k.type and x.agent = k.agent
                                      limit 1) p""", read, entityIds, types, agents);
        return out;
    }

    private static final String ROUND_READ_COLUMNS = """
            p.id, p.entity_kind, p.entity_key, p.environment, p.intensity, p.deposited_at, p.created_at,
            p.half_life_seconds, p.visible_until, p.rank_key, p.payload::text, p.claim_holder,
            p.claim_fencing_token, p.claim_lease_seconds, p.claim_expires_at, p.xmin::text,
            p.entity_id, p.type, p.agent
            """;

    /** One deposit of a round: the folded row, the version it was folded from ({@code null}: a first deposit). */
    record RoundWrite(Pheromone row, String rowVersion, Instant now, String actingAgent, String eventData) {
    }

    /** A deposit of a round as written: its pheromone's id and its {@code pheromone.deposited} event's id. */
    record Written(long pheromoneId, long eventId) {
    }

    /**
     * Writes a round of folded deposits with their {@code pheromone.deposited} events in one autocommit statement
     * (group commit, benchmark P2): first deposits are inserted unless a concurrent one inserted the row first,
     * repeats are updated only if the row is unchanged since {@link #readRound} (PostgreSQL re-checks the version
     * on the newest row when the update waited for its lock: EvalPlanQual). At most one write per key. The
     * statement's pheromone writes give it its xid before any event id is drawn (see {@code EventLog}).
     *
     * @return by index into {@code writes}, what was written; a deposit left out wrote nothing
     */
    Map<Integer, Written> writeRound(List<RoundWrite> writes) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int repeats = 0;
        for (int i = 0; i < writes.size(); i++) {
            RoundWrite w = writes.get(i);
            Pheromone p = w.row();
            Map<String, Object> row = new HashMap<>();
            row.put("ord", i);
            if (w.rowVersion() != null) {
                row.put("id", p.id);
                row.put("version", w.rowVersion());
                repeats++;
            }
            row.put("entity_id", p.entityId);
            row.put("entity_kind", p.entityKind);
            row.put("entity_key", p.entityKey);
            row.put("environment", p.environment);
            row.put("type", p.type);
            row.put("agent", p.agent);
            row.put("intensity", p.intensity);
            row.put("deposited_at", text(p.depositedAt));
            row.put("created_at", text(p.createdAt));
            row.put("half_life_seconds", p.halfLifeSeconds);
            row.put("visible_until", text(p.visibleUntil));
            row.put("rank_key", p.rankKey);
            row.put("payload", p.payload);
            row.put("claim_holder", p.claimHolder);
            row.put("claim_fencing_token", p.claimFencingToken);
            row.put("claim_lease_seconds", p.claimLeaseSeconds);
            row.put("claim_expires_at", text(p.claimExpiresAt));
            row.put("occurred_at", text(w.now()));
            row.put("entity", p.address());
            row.put("acting_agent", w.actingAgent());
            row.put("data", w.eventData());
            rows.add(row);
        }
        // a statement without inserts (or updates) leaves that part out: its statement trigger would still run
        List<String> parts = new ArrayList<>();
        StringBuilder statement = new StringBuilder(ROUND_ROWS);
        if (repeats < writes.size()) {
            statement.append(ROUND_INSERT);
            parts.add("select * from inserted");
        }
        if (repeats > 0) {
            statement.append(ROUND_UPDATE);
            parts.add("select * from updated");
        }
        statement.append(ROUND_EVENTS.formatted(String.join(" union all ", parts)));
        // prepared (server-side after the driver's threshold): every plan of it reaches pheromone rows only by the
        // conflict arbiter and the primary key, so the generic plan is as good as a custom one at any table size,
        // and a lone deposit stops paying some 0.25 ms of planning each time (benchmark P12)
        Map<Integer, Written> out = new HashMap<>();
        sql.rows(statement.toString(), row -> {
            out.put(row.getInt(1), new Written(row.getLong(2), row.getLong(3)));
            return null;
        }, json(rows));
        return out;
    }

    // the round's deposits, one row each, from its one JSON parameter
    private static final String ROUND_ROWS = """
            with v as materialized (
                select * from jsonb_to_recordset(cast(? as jsonb)) as v(
                    ord int, id bigint, version text, entity_id bigint, entity_kind text, entity_key text,
                    environment text, type text, agent text, intensity double precision,
                    deposited_at timestamptz, created_at timestamptz, half_life_seconds bigint,
                    visible_until timestamptz, rank_key double precision, payload text, claim_holder text,
                    claim_fencing_token bigint, claim_lease_seconds bigint, claim_expires_at timestamptz,
                    occurred_at timestamptz, entity text, acting_agent text, data text)
            )""";

    private static final String ROUND_INSERT = """
            , inserted as (
                insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity,
                                       deposited_at, created_at, half_life_seconds, visible_until, rank_key, payload)
                select entity_id, entity_kind, entity_key, environment, type, agent, intensity, deposited_at,
                       created_at, half_life_seconds, visible_until, rank_key, cast(payload as jsonb)
                  from v where id is null
                on conflict (entity_id, type, agent) do nothing
                returning id, entity_id, type, agent
            )""";

    // each row found by its primary key, then by its tuple id: a join of the JSON's rows, which the planner guesses
    // at 100, would scan the whole table up to some 40,000 rows
    private static final String ROUND_UPDATE = """
            , updated as (
                update pheromone p
                   set intensity = v.intensity, deposited_at = v.deposited_at, created_at = v.created_at,
                       half_life_seconds = v.half_life_seconds, visible_until = v.visible_until,
                       rank_key = v.rank_key, payload = cast(v.payload as jsonb), claim_holder = v.claim_holder,
                       claim_fencing_token = v.claim_fencing_token, claim_lease_seconds = v.claim_lease_seconds,
                       claim_expires_at = v.claim_expires_at
                  from v cross join lateral (select ctid as tid from pheromone x where x.id = v.id limit 1) found
                 where v.id is not null and p.ctid = found.tid and p.xmin::text = v.version
                returning p.id, p.entity_id, p.type, p.agent
            )""";

    // event ids are drawn only for written rows, after their writes gave the statement its xid
    private static final String ROUND_EVENTS = """
            , written as materialized (
                select v.ord, w.id as pheromone_id, v.id is null as created, %s as event_id
                  from v join (%%s) w on w.entity_id = v.entity_id and w.type = v.type and w.agent = v.agent
            ), appended as (
            %s
            )
            select ord, pheromone_id, event_id from written"""
            .formatted(EventRows.NEXT_ID, EventRows.appendedWithIdsFrom("written w join v on v.ord = w.ord", """
                    w.event_id, v.occurred_at, 'pheromone.deposited', v.environment, v.entity, v.acting_agent,
                    case when w.created then cast(v.data as jsonb) || jsonb_build_object('pheromone', w.pheromone_id)
                         else cast(v.data as jsonb) end"""));

    // to whole microseconds, rounding half up as the JDBC driver does for a bound timestamp (PostgreSQL's own
    // parser would round half to even)
    private static String text(Instant instant) {
        return instant == null ? null : instant.plusNanos(500).truncatedTo(ChronoUnit.MICROS).toString();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a round of deposits is not serialisable", e);
        }
    }

    // a deposit's pheromone.deposited event, from its written row; a first deposit's data gains the pheromone's id
    private static final String APPEND_INSERTED = EventRows.appendedFrom("inserted",
            "?, 'pheromone.deposited', ?, ?, ?, cast(? as jsonb) || jsonb_build_object('pheromone', id)");
    private static final String APPEND_UPDATED = EventRows.appendedFrom("updated",
            "?, 'pheromone.deposited', ?, ?, ?, cast(? as jsonb)");

    /** A first deposit as inserted: the pheromone's id and its {@code pheromone.deposited} event's id. */
    record Inserted(long id, long eventId) {
    }

    /**
     * Inserts a folded pheromone unless its (entity, type, depositor) row exists, and in the same statement its
     * {@code pheromone.deposited} event: {@code eventData} without the pheromone's id, which the statement adds
     * (one round trip fewer per first deposit, benchmark P2). The insert gives the transaction its xid before the
     * event id is drawn (see {@code EventLog}). Answers {@code null}, inserting neither, when a concurrent deposit
     * inserted the row first. Plain JDBC ({@code db.Sql}), on the transaction's connection when there is one,
     * else in autocommit; not through the persistence context, where a unique violation would doom the transaction.
     */
    Inserted insertIfAbsent(Pheromone p, Instant now, String actingAgent, String eventData) {
        return sql.oneRow("""
                with inserted as (
                    insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent, intensity,
                                           deposited_at, created_at, half_life_seconds, visible_until, rank_key,
                                           payload)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
                    on conflict (entity_id, type, agent) do nothing
                    returning id
                ), appended as (
                %s
                )
                select i.id, a.id from inserted i cross join appended a""".formatted(APPEND_INSERTED),
                row -> new Inserted(row.getLong(1), row.getLong(2)),
                p.entityId, p.entityKind, p.entityKey, p.environment, p.type, p.agent, p.intensity, p.depositedAt,
                p.createdAt, p.halfLifeSeconds, p.visibleUntil, p.rankKey, p.payload,
                now, p.environment, p.address(), actingAgent, eventData);
    }

    /**
     * Writes a repeat deposit's folded row, which the caller's transaction holds locked, and its {@code
     * pheromone.deposited} event in one statement (benchmark P2). The update gives the transaction its xid before
     * the event id is drawn (see {@code EventLog}).
     *
     * @return the event's id
     */
    long updateFolded(Pheromone p, Instant now, String actingAgent, String eventData) {
        return sql.oneRow("""
                with updated as (
                    update pheromone set intensity = ?, deposited_at = ?, created_at = ?, half_life_seconds = ?,
                           visible_until = ?, rank_key = ?, payload = cast(? as jsonb), claim_holder = ?,
                           claim_fencing_token = ?, claim_lease_seconds = ?, claim_expires_at = ?
                     where id = ?
                    returning id
                )
                %s""".formatted(APPEND_UPDATED), row -> row.getLong(1),
                p.intensity, p.depositedAt, p.createdAt, p.halfLifeSeconds, p.visibleUntil, p.rankKey,
                p.payload, p.claimHolder, p.claimFencingToken, p.claimLeaseSeconds, p.claimExpiresAt,
                p.id, now, p.environment, p.address(), actingAgent, eventData);
    }

    /** Whether a visible pheromone of the {@code completion.} family other than {@code exceptId} is on the entity. */
    boolean anotherCompletionVisible(long entityId, long exceptId, Instant now) {
        return !em.createNativeQuery("select 1 from pheromone p where p.entity_id = :entity and p.type like 'completion.%'"
                        + " and p.id <> :id and " + VISIBLE + " limit 1")
                .setParameter("entity", entityId).setParameter("id", exceptId)
                .setParameter("now", now).getResultList().isEmpty();
    }

    /**
     * Keeps a service-owned signal: inserts the (entity, type, agent) row at {@code intensity}, or replaces its
     * intensity, time and payload and makes it visible again; one upsert, so the ranking aggregate's trigger runs
     * once, not for an insert and then an update.
     *
     * @return the pheromone's id
     */
    long keep(EntityRef entity, String type, String agent, double intensity, String payload, Instant now) {
        return ((Number) em.createNativeQuery("""
                        insert into pheromone (entity_id, entity_kind, entity_key, environment, type, agent,
                                               intensity, deposited_at, created_at, payload)
                        values (:entity, :kind, :key, :environment, :type, :agent, :intensity, cast(:now as timestamptz),
                                cast(:now as timestamptz), cast(:payload as jsonb))
                        on conflict (entity_id, type, agent) do update
                           set intensity = excluded.intensity, deposited_at = excluded.deposited_at,
                               visible_until = null, payload = excluded.payload
                        returning id""")
                .setParameter("entity", entity.id()).setParameter("kind", entity.kind())
                .setParameter("key", entity.key()).setParameter("environment", entity.environment())
                .setParameter("type", type).setParameter("agent", agent)
                .setParameter("intensity", intensity).setParameter("now", now).setParameter("payload", payload)
                .getSingleResult()).longValue();
    }

    /** Records a verdict on pheromone {@code id}, its resulting intensity still 0 (see {@link #verdictIntensityAfter}). */
    long insertVerdict(long id, String validator, String role, boolean approve, double delta, Long extendSeconds,
                       String trigger, double before, Instant now) {
        return ((Number) em.createNativeQuery("""
                        insert into pheromone_verdict (pheromone_id, validator, role, approve, delta, extend_seconds,
                                                       trigger, intensity_before, intensity_after, decided_at)
                        values (:pheromone, :validator, :role, :approve, :delta, :extend, :trigger, :before, 0,
                                cast(:now as timestamptz))
                        returning id""")
                .setParameter("pheromone", id).setParameter("validator", validator).setParameter("role", role)
                .setParameter("approve", approve).setParameter("delta", delta)
                .setParameter("extend", extendSeconds).setParameter("trigger", trigger)
                .setParameter("before", before).setParameter("now", now)
                .getSingleResult()).longValue();
    }

    /** Sets the intensity a verdict resulted in, known once the verdict itself counts. */
    void verdictIntensityAfter(long verdictId, double after) {
        em.createNativeQuery("update pheromone_verdict set intensity_after = :after where id = :id")
                .setParameter("after", after).setParameter("id", verdictId).executeUpdate();
    }

    /** Raw rows of live claims per holder among {@code agents} at {@code now}: (holder, count). */
    List<?> liveClaimCounts(List<String> agents, Instant now) {
        return em.createNativeQuery("""
                        select claim_holder, count(*) from pheromone
                         where claim_holder in (:agents) and claim_expires_at > cast(:now as timestamptz)
                         group by claim_holder""")
                .setParameter("agents", agents).setParameter("now", now).getResultList();
    }

    /** Row-locks a pheromone by id; {@code false} when it does not exist. */
    boolean lock(long id) {
        return !em.createNativeQuery("select id from pheromone where id = :id for update")
                .setParameter("id", id).getResultList().isEmpty();
    }

    /**
     * Claims pheromone {@code id} for {@code agent} in one statement: granted when unclaimed, lapsed, or already
     * the agent's (a renewal keeps the fencing token). Concurrent claimers serialise on the row lock and
     * re-check the condition, so exactly one wins.
     *
     * @return {@code true} when granted or renewed
     */
    boolean claim(long id, String agent, long token, long leaseSeconds, Instant now) {
        return em.createNativeQuery("""
                        update pheromone p
                           set claim_fencing_token = case when p.claim_holder = :agent
                                   and p.claim_expires_at > cast(:now as timestamptz) then p.claim_fencing_token else :token end,
                               claim_holder = :agent,
                               claim_lease_seconds = :lease,
                               claim_expires_at = cast(:now as timestamptz) + :lease * interval '1 second'
                         where p.id = :id
                           and (p.visible_until is null or p.visible_until > cast(:now as timestamptz))
                           and (p.claim_holder is null or p.claim_holder = :agent
                                or p.claim_expires_at <= cast(:now as timestamptz))""")
                .setParameter("agent", agent).setParameter("token", token).setParameter("lease", leaseSeconds)
                .setParameter("now", now).setParameter("id", id)
                .executeUpdate() == 1;
    }

    /** Renews every live claim of {@code agent} by its own lease; answers each as the heartbeat reports it, by id. */
    List<RenewedLease> renewClaims(String agent, Instant now) {
        // Only a write that touches rows should run: any update of pheromone fires the aggregate triggers, whose
        // statement-level work costs more than this read even when no row changed (P12's heartbeat)
        if (sql.oneRow(HOLDS_LIVE_CLAIM, row -> row.getBoolean(1), agent, now) != Boolean.TRUE) {
            return List.of();
        }
        return sql.rows(RENEW_CLAIMS, row -> new RenewedLease("claim", String.valueOf(row.getLong(1)), row.getString(2),
                row.getLong(3), instant(row.getObject(4, OffsetDateTime.class))), now, agent, now);
    }

    // the partial index pheromone_claim_holder answers both, whatever the plan's parameters
    private static final String HOLDS_LIVE_CLAIM = """
            select exists (select 1 from pheromone where claim_holder = ? and claim_expires_at > ?)""";

    private static final String RENEW_CLAIMS = """
            with renewed as (
                update pheromone p
                   set claim_expires_at = cast(? as timestamptz) + p.claim_lease_seconds * interval '1 second'
                 where p.claim_holder = ? and p.claim_expires_at > cast(? as timestamptz)
                returning p.id, p.entity_kind || '/' || p.entity_key, p.claim_fencing_token, p.claim_expires_at)
            select * from renewed order by id""";

    /** An evaporated row the sweep removed. */
    record Evaporated(long id, String entity, String type, String agent) {
    }

    /**
     * Deletes at most {@code batch} rows already invisible at {@code now}; live rows are not touched (not even
     * locked: skip locked passes rows a deposit is folding).
     */
    List<Evaporated> deleteInvisible(Instant now, int batch) {
        List<?> rows = em.createNativeQuery("""
                        delete from pheromone where id in (
                            select id from pheromone
                             where visible_until <= cast(:now as timestamptz)
                             order by visible_until limit :batch for update skip locked)
                        returning id, entity_kind || '/' || entity_key, type, agent""")
                .setParameter("now", now).setParameter("batch", batch).getResultList();
        List<Evaporated> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new Evaporated(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3]));
        }
        return out;
    }

    /** Re-reads a managed pheromone after a statement that changed its row behind the session. */
    void refresh(Pheromone p) {
        em.refresh(p);
    }

    /** Takes a pheromone out of the session: later changes to the object are not written. */
    void detach(Pheromone p) {
        em.detach(p);
    }

    /** How many pheromones, visible or not, are of {@code type}. */
    long countOfType(String type) {
        return ((Number) em.createNativeQuery("select count(*) from pheromone where type = :type")
                .setParameter("type", type).getSingleResult()).longValue();
    }

    /**
     * Raw rows of the next {@code batch} ranking candidates of {@code type} after ({@code afterKey}, {@code afterId})
     * in bound order (see {@link PheromoneRanking}): entity id, bound key, entity kind, key, environment, exact total
     * (null when nothing is visible), count, depositors (the first {@code depositorLimit} by name, all when it is
     * {@code null}, null when it is 0: the names are not even gathered), whether {@code excludeAgent} is among them;
     * only pairs in {@code scope} (the caller's environments) when it is not {@code null}.
     */
    List<?> rankingCandidates(String type, double afterKey, long afterId, int batch, String environment,
                              List<String> kinds, java.util.Set<String> scope, String excludeAgent,
                              Integer depositorLimit, Instant now) {
        // the limit, an int of 1-1000, is inlined: Hibernate reads a bound one inside the slice as a named parameter
        String agents = depositorLimit == null ? "array_agg(p.agent order by p.agent)"
                : depositorLimit == 0 ? "cast(null as text[])"
                : "(array_agg(p.agent order by p.agent))[1:" + depositorLimit + "]";
        StringBuilder sql = new StringBuilder(RANKING_CANDIDATES.formatted(CURRENT, agents,
                excludeAgent == null ? "false" : "coalesce(bool_or(p.agent = :exclude), false)", VISIBLE));
        if (environment != null) {
            sql.append(" and a.environment = :environment");
        }
        if (!kinds.isEmpty()) {
            sql.append(" and a.entity_kind in (:kinds)");
        }
        if (scope != null) {
            sql.append(" and a.environment in (:scope)");
        }
        sql.append(" order by a.bound_key desc, a.entity_id desc limit :batch");
        Query q = em.createNativeQuery(sql.toString())
                .setParameter("now", now).setParameter("type", type)
                .setParameter("afterKey", afterKey).setParameter("afterId", afterId).setParameter("batch", batch);
        if (environment != null) {
            q.setParameter("environment", environment);
        }
        if (!kinds.isEmpty()) {
            q.setParameter("kinds", kinds);
        }
        if (scope != null) {
            q.setParameter("scope", scope);
        }
        if (excludeAgent != null) {
            q.setParameter("exclude", excludeAgent);
        }
        return q.getResultList();
    }
}
