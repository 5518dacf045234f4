package dev.stigmergy.pheromone;

import dev.stigmergy.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * The SQL of depositing, sensing, claiming and sweeping. Current intensity is one SQL expression ({@link #CURRENT}) over
 * a pheromone {@code p} and its type {@code t}, evaluated at the bound {@code :now}: decay costs no writes.
 */
@ApplicationScoped
class PheromoneRepository {

    /** Current intensity of p at :now (visibility is a separate predicate, {@link #VISIBLE}). */
    static final String CURRENT = """
            (case t.decay_kind
               when 'EXPONENTIAL' then p.intensity * pow2(-cast(extract(epoch from
                    (cast(:now as timestamptz) - p.deposited_at)) as double precision) / p.half_life_seconds)
               when 'REINFORCEMENT_ONLY' then least(t.max_intensity, greatest(0.0, coalesce(
                    (select sum(v.delta) from pheromone_verdict v
                      where v.pheromone_id = p.id and v.decided_at <= cast(:now as timestamptz)
                        and v.decided_at > cast(:now as timestamptz) - t.window_seconds * interval '1 second'), 0.0)))
               else p.intensity end)""";

    /** p is visible at :now; an indexed comparison, no decay arithmetic. */
    static final String VISIBLE = "(p.visible_until is null or p.visible_until > cast(:now as timestamptz))";

    private final EntityManager em;
    private final Sql sql;

    PheromoneRepository(EntityManager em, Sql sql) {
        this.em = em;
        this.sql = sql;
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
        List<?> rows = em.createNativeQuery("select p.id, " + CURRENT
                        + " from pheromone p join signal_type t on t.name = p.type"
                        + " where p.entity_id = :entity and " + VISIBLE + " order by p.type, p.agent")
                .setParameter("now", now).setParameter("entity", entityId).getResultList();
        List<Current> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] row = (Object[]) o;
            out.add(new Current(em.find(Pheromone.class, ((Number) row[0]).longValue()), ((Number) row[1]).doubleValue()));
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

    /** A pheromone read without a lock, with its row version: PostgreSQL's {@code xmin}, which every write changes. */
    record Versioned(Pheromone pheromone, String rowVersion) {
    }

    /**
     * The (entity, type, depositor) pheromone as last committed, unlocked and outside the persistence context, or
     * {@code null}: the read of a deposit that then writes only if the row is unchanged (benchmark P2).
     */
    Versioned readExisting(long entityId, String type, String agent) {
        return sql.oneRow("""
                select id, entity_kind, entity_key, environment, intensity, deposited_at, created_at,
                       half_life_seconds, visible_until, rank_key, payload::text, claim_holder, claim_fencing_token,
                       claim_lease_seconds, claim_expires_at, xmin::text
                  from pheromone where entity_id = ? and type = ? and agent = ?""", row -> {
            Pheromone p = new Pheromone();
            p.id = row.getLong(1);
            p.entityId = entityId;
            p.entityKind = row.getString(2);
            p.entityKey = row.getString(3);
            p.environment = row.getString(4);
            p.type = type;
            p.agent = agent;
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
            return new Versioned(p, row.getString(16));
        }, entityId, type, agent);
    }

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
                    insert into event (occurred_at, type, environment, entity, agent, data)
                    select ?, 'pheromone.deposited', ?, ?, ?, cast(? as jsonb) || jsonb_build_object('pheromone', id)
                      from inserted
                    returning id
                )
                select i.id, a.id from inserted i cross join appended a""",
                row -> new Inserted(row.getLong(1), row.getLong(2)),
                p.entityId, p.entityKind, p.entityKey, p.environment, p.type, p.agent, p.intensity, p.depositedAt,
                p.createdAt, p.halfLifeSeconds, p.visibleUntil, p.rankKey, p.payload,
                now, p.environment, p.address(), actingAgent, eventData);
    }

    /**
     * Writes a repeat deposit's folded row and its {@code pheromone.deposited} event in one statement (benchmark
     * P2), on the transaction's connection when there is one, else in autocommit. With a {@code rowVersion}
     * ({@link #readExisting}) it writes only if the row is unchanged since that read; without one the caller holds
     * the row lock. A write of the row by anyone else changes its version, also while this statement waits for
     * the row lock: PostgreSQL re-checks the condition on the newest version (EvalPlanQual). The update gives the
     * transaction its xid before the event id is drawn (see {@code EventLog}).
     *
     * @return the event's id, or {@code null} when the row changed since {@code rowVersion}
     */
    Long updateFolded(Pheromone p, String rowVersion, Instant now, String actingAgent, String eventData) {
        return sql.oneRow("""
                with updated as (
                    update pheromone set intensity = ?, deposited_at = ?, created_at = ?, half_life_seconds = ?,
                           visible_until = ?, rank_key = ?, payload = cast(? as jsonb), claim_holder = ?,
                           claim_fencing_token = ?, claim_lease_seconds = ?, claim_expires_at = ?
                     where id = ? and (cast(? as text) is null or xmin::text = ?)
                    returning id
                )
                insert into event (occurred_at, type, environment, entity, agent, data)
                select ?, 'pheromone.deposited', ?, ?, ?, cast(? as jsonb) from updated
                returning id""", row -> row.getLong(1),
                p.intensity, p.depositedAt, p.createdAt, p.halfLifeSeconds, p.visibleUntil, p.rankKey,
                p.payload, p.claimHolder, p.claimFencingToken, p.claimLeaseSeconds, p.claimExpiresAt,
                p.id, rowVersion, rowVersion,
                now, p.environment, p.address(), actingAgent, eventData);
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

    /** Renews every live claim of {@code agent} by its own lease; answers the renewed rows' ids. */
    List<Long> renewClaims(String agent, Instant now) {
        List<?> ids = em.createNativeQuery("""
                        update pheromone p
                           set claim_expires_at = cast(:now as timestamptz) + p.claim_lease_seconds * interval '1 second'
                         where p.claim_holder = :agent and p.claim_expires_at > cast(:now as timestamptz)
                        returning p.id""")
                .setParameter("agent", agent).setParameter("now", now).getResultList();
        return ids.stream().map(i -> ((Number) i).longValue()).toList();
    }

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
}
