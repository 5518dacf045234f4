package dev.stigmergy.lock;

import dev.stigmergy.db.Sql;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.event.EventRows;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * Every read and write of {@code entity_lock}: the {@link Lock} rows through Panache, and the one-statement hot paths
 * (benchmark P1) and set reads as SQL. Decides nothing: {@link LockService},
 * {@link LockHandover} and {@link LockTransitions} hold the rules.
 */
@ApplicationScoped
public class LockRepository implements PanacheRepositoryBase<Lock, Long> {

    /**
     * SQL fragment for another capability's read (the ready query): the live holder of the lock on the entity whose
     * id is the {@code %s} argument at the named parameter {@code :now}, or null when it is free or its lease lapsed.
     * The same liveness test as every lock rule: a grant is live while {@code expires_at > now}.
     */
    public static final String LIVE_HOLDER = """
            (select l.holder from entity_lock l
              where l.entity_id = %s and l.holder is not null and l.expires_at > cast(:now as timestamptz))""";

    // A grant as every lock event records it (LockTransitions.eventData) from a row's columns, for the one-statement
    // paths: null token and reason left out, instants written as Jackson writes them (iso_instant)
    private static final String GRANT_DATA = """
            jsonb_strip_nulls(jsonb_build_object(
                'holder', holder, 'fencingToken', fencing_token, 'leaseSeconds', lease_seconds,
                'acquiredAt', iso_instant(acquired_at), 'expiresAt', iso_instant(expires_at), 'reason', reason))""";

    // The common acquire, a free row, in one statement: grant, token and lock.acquired together (benchmark
    // P1). A row granted meanwhile is re-checked by PostgreSQL after its lock wait (EvalPlanQual), which also
    // draws the token anew, so tokens still rise per entity; a held, lapsed or never-created row updates
    // nothing and takes the general path. The update gives the transaction its xid before the event id is drawn.
    private static final String GRANT_IF_FREE = """
            with granted as (
                update entity_lock set holder = ?, fencing_token = nextval('fencing_token_seq'), lease_seconds = ?,
                       reason = ?, acquired_at = ?, expires_at = ?
                 where entity_id = ? and holder is null
                returning entity, environment, fencing_token
            ), appended as (
            %s
            )
            select g.entity, g.environment, g.fencing_token, a.id from granted g cross join appended a"""
            .formatted(EventRows.appendedFrom("granted", """
                    ?, 'lock.acquired', environment, entity, ?,
                    cast(? as jsonb) || jsonb_build_object('fencingToken', fencing_token)"""));

    // The common release, by the live holder of a grant no unlock request was made against, in one statement:
    // the row locked, freed and lock.released appended with the grant as it ended (iso_instant writes instants as
    // Jackson does; iso_instant). A request committed while this waited for the row lock is seen, as the flag is re-read
    // after the wait (EvalPlanQual). Anything else (not held, lapsed, another holder, a request made) updates
    // nothing and takes the general path, which answers it.
    private static final String RELEASE_IF_HELD = """
            with held as (
                select entity_id, entity, environment, holder, fencing_token, lease_seconds, reason, acquired_at,
                       expires_at
                  from entity_lock
                 where entity_id = ? and holder = ? and expires_at > ? and not unlock_requested
                   for update
            ), freed as (
                update entity_lock l set holder = null, fencing_token = null, lease_seconds = null, reason = null,
                       acquired_at = null, expires_at = null
                  from held where l.entity_id = held.entity_id
                returning held.*
            ), appended as (
            %s
            )
            select f.entity, f.environment, f.holder, f.fencing_token, f.reason, f.lease_seconds, f.acquired_at,
                   f.expires_at, a.id
              from freed f cross join appended a"""
            .formatted(EventRows.appendedFrom("freed", """
                    ?, 'lock.released', environment, entity, holder, %s""".formatted(GRANT_DATA)));

    // A heartbeat's renewal of every live lock of one holder, in one statement: the rows locked in entity order (as
    // any set of lock rows is, so two writers cannot deadlock), each extended by its own lease length from now, and
    // lock.renewed appended for each with the grant as extended, as LockTransitions.append writes it (event ids drawn
    // after the writes gave the statement its xid, EventRows)
    private static final String RENEW_ALL_OF = """
            with held as (
                select entity_id from entity_lock
                 where holder = ? and expires_at > ?
                 order by entity_id
                   for no key update
            ), renewed as (
                update entity_lock l set expires_at = cast(? as timestamptz) + l.lease_seconds * interval '1 second'
                  from held where l.entity_id = held.entity_id
                returning l.entity_id, l.entity, l.environment, l.holder, l.fencing_token, l.lease_seconds, l.reason,
                          l.acquired_at, l.expires_at
            ), written as materialized (
                select r.*, %s as event_id from renewed r
            ), appended as (
            %s
            )
            select entity, fencing_token, expires_at, event_id from written order by entity_id"""
            .formatted(EventRows.NEXT_ID, EventRows.appendedWithIdsFrom("written", """
                    event_id, ?, 'lock.renewed', environment, entity, holder,
                    %s || jsonb_build_object('via', 'heartbeat')""".formatted(GRANT_DATA)));

    private final EntityManager em;
    private final Sql sql;

    LockRepository(EntityManager em, Sql sql) {
        this.em = em;
        this.sql = sql;
    }

    /** A grant a one-statement path wrote, with the id of the event it appended. */
    record Written(LockGrant grant, long eventId) {
    }

    /**
     * Grants the free lock row of {@code entity} in one statement, with its {@code lock.acquired} event ({@code
     * eventData} without the fencing token, which the statement adds); {@code null}, writing nothing, when the row is
     * not free or does not exist.
     */
    Written grantIfFree(EntityRef entity, String agent, int leaseSeconds, String reason, Instant now,
                        Instant expiresAt, String eventData) {
        return sql.oneRow(GRANT_IF_FREE, granted -> new Written(new LockGrant(granted.getString(1),
                        granted.getString(2), agent, granted.getLong(3), reason, leaseSeconds, now, expiresAt),
                        granted.getLong(4)),
                agent, leaseSeconds, reason, now, expiresAt, entity.id(), now, agent, eventData);
    }

    /**
     * Frees the lock {@code agent} holds live on {@code entity} in one statement, with its {@code lock.released}
     * event, when no unlock request was made against it; {@code null}, writing nothing, otherwise.
     */
    Written releaseIfHeld(EntityRef entity, String agent, Instant now) {
        return sql.oneRow(RELEASE_IF_HELD, freed -> new Written(new LockGrant(freed.getString(1), freed.getString(2),
                        freed.getString(3), freed.getLong(4), freed.getString(5), freed.getInt(6),
                        instant(freed.getObject(7, OffsetDateTime.class)),
                        instant(freed.getObject(8, OffsetDateTime.class))), freed.getLong(9)),
                entity.id(), agent, now, now);
    }

    /** A lock a heartbeat renewed, with the id of the lock.renewed event its renewal appended. */
    record Renewed(String entity, long fencingToken, Instant expiresAt, long eventId) {
    }

    /** Extends every live lock of {@code holder} by its own lease length from {@code now}, with a lock.renewed each. */
    List<Renewed> renewAllOf(String holder, Instant now) {
        return sql.rows(RENEW_ALL_OF, row -> new Renewed(row.getString(1), row.getLong(2),
                instant(row.getObject(3, OffsetDateTime.class)), row.getLong(4)), holder, now, now, now);
    }

    /** The entity's lock row, locked for this transaction; created free when the entity was never locked. */
    Lock lockedRow(EntityRef entity) {
        Lock lock = findById(entity.id(), LockModeType.PESSIMISTIC_WRITE);
        if (lock == null) {
            // concurrent first acquirers agree on one row; the loser then waits on the winner's row lock
            em.createNativeQuery("""
                            insert into entity_lock (entity_id, entity, environment) values (:id, :entity, :environment)
                            on conflict (entity_id) do nothing""")
                    .setParameter("id", entity.id())
                    .setParameter("entity", entity.address())
                    .setParameter("environment", entity.environment())
                    .executeUpdate();
            lock = findById(entity.id(), LockModeType.PESSIMISTIC_WRITE);
        }
        return lock;
    }

    /** The row granted under fencing token {@code token}, locked for this transaction, or {@code null}. */
    Lock byTokenLocked(long token) {
        return find("fencingToken", token).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** The live locks of {@code holder} at {@code now}, by entity id. */
    List<Lock> liveOf(String holder, Instant now) {
        return find("holder = ?1 and expiresAt > ?2", Sort.by("entityId"), holder, now).list();
    }

    /**
     * Live locks at {@code now} ordered by entity address, each filter {@code null} for any ({@code scope}: the
     * environments the caller may reach); at most {@code limit}.
     */
    List<Lock> live(String environment, String holder, java.util.Set<String> scope, Instant now, int limit) {
        StringBuilder where = new StringBuilder("holder is not null and expiresAt > :now");
        Parameters params = Parameters.with("now", now);
        if (scope != null) {
            where.append(" and environment in :scope");
            params.and("scope", scope);
        }
        if (environment != null) {
            where.append(" and environment = :environment");
            params.and("environment", environment);
        }
        if (holder != null) {
            where.append(" and holder = :holder");
            params.and("holder", holder);
        }
        return find(where.toString(), Sort.by("entity"), params).page(0, limit).list();
    }

    /**
     * The live locks of each of {@code holders} at {@code now}, at most {@code perHolder} each (the first by entity
     * address, as {@link #live} orders them), in reach of {@code scope} ({@code null}: any environment); one
     * statement for all of them.
     */
    @SuppressWarnings("unchecked")
    List<Lock> liveOfEach(java.util.Collection<String> holders, java.util.Set<String> scope, Instant now, int perHolder) {
        if (holders.isEmpty()) {
            return List.of();
        }
        var query = em.createNativeQuery("""
                        select * from (select l.*, row_number() over (partition by l.holder order by l.entity) as nth
                                         from entity_lock l
                                        where l.holder in (:holders) and l.expires_at > :now %s) ranked
                         where nth <= :per order by holder, entity""".formatted(scope == null ? "" : "and l.environment in (:scope)"),
                        Lock.class)
                .setParameter("holders", holders).setParameter("now", now).setParameter("per", perHolder);
        if (scope != null) {
            query.setParameter("scope", scope.isEmpty() ? List.of("") : scope);
        }
        return query.getResultList();
    }

    /** The live locks at {@code now} on any of {@code entityIds}, by entity address. */
    List<Lock> liveOn(java.util.Collection<Long> entityIds, Instant now) {
        if (entityIds.isEmpty()) {
            return List.of();
        }
        return find("entityId in ?1 and holder is not null and expiresAt > ?2", Sort.by("entity"), entityIds, now).list();
    }

    /** Ids of at most {@code batch} lapsed grants at {@code now}, locked; rows another transaction holds are skipped. */
    List<Long> lapsedLocked(Instant now, int batch) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                        select entity_id from entity_lock
                         where holder is not null and expires_at <= :now
                         order by entity_id limit :batch
                           for update skip locked""")
                .setParameter("now", now)
                .setParameter("batch", batch)
                .getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /** Raw rows of live locks per holder among {@code agents} at {@code now}: (holder, count). */
    List<?> liveCounts(List<String> agents, Instant now) {
        return em.createNativeQuery("""
                        select holder, count(*) from entity_lock
                         where holder in (:agents) and expires_at > cast(:now as timestamptz) group by holder""")
                .setParameter("agents", agents).setParameter("now", now).getResultList();
    }
}
