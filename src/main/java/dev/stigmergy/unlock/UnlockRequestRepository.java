package dev.stigmergy.unlock;

import dev.stigmergy.lease.Hold;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.List;

/**
 * Every read and write of {@code unlock_request}: the {@link UnlockRequest} rows through Panache, and the id reads
 * of the hot release path and the sweep as SQL. Decides nothing: {@link UnlockRequestService} holds the rules.
 */
@ApplicationScoped
class UnlockRequestRepository implements PanacheRepositoryBase<UnlockRequest, Long> {

    private final EntityManager em;

    UnlockRequestRepository(EntityManager em) {
        this.em = em;
    }

    /** The requester's PENDING request (lapsed or not) on the hold, locked for this transaction, or {@code null}. */
    UnlockRequest pendingLocked(Hold hold, String requester) {
        return find("holdKind = ?1 and holdId = ?2 and requester = ?3 and status = ?4",
                hold.kind(), hold.id(), requester, UnlockRequestStatus.PENDING)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /**
     * Requests newest first, each filter {@code null} for any ({@code scope}: the environments the caller may reach), status as of {@code now} (a lapsed PENDING request
     * matches EXPIRED); at most {@code limit}.
     */
    List<UnlockRequest> page(String entity, String holder, String requester, UnlockRequestStatus status,
                             java.util.Set<String> scope, Instant now, int limit) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (scope != null) {
            where.append(" and environment in :scope");
            params.and("scope", scope);
        }
        if (entity != null) {
            where.append(" and entity = :entity");
            params.and("entity", entity);
        }
        if (holder != null) {
            where.append(" and holder = :holder");
            params.and("holder", holder);
        }
        if (requester != null) {
            where.append(" and requester = :requester");
            params.and("requester", requester);
        }
        if (status == UnlockRequestStatus.PENDING) {
            where.append(" and status = :pending and expiresAt > :now");
            params.and("pending", UnlockRequestStatus.PENDING).and("now", now);
        } else if (status == UnlockRequestStatus.EXPIRED) {
            where.append(" and (status = :expired or (status = :pending and expiresAt <= :now))");
            params.and("expired", UnlockRequestStatus.EXPIRED).and("pending", UnlockRequestStatus.PENDING).and("now", now);
        } else if (status != null) {
            where.append(" and status = :status");
            params.and("status", status);
        }
        return find(where.toString(), Sort.descending("id"), params).page(0, limit).list();
    }

    /**
     * The requests pending at {@code now} on each of {@code entities} (addresses) in reach of {@code scope}
     * ({@code null}: any environment), at most {@code perEntity} each, newest first as {@link #page} orders them;
     * one statement for all.
     */
    @SuppressWarnings("unchecked")
    List<UnlockRequest> pendingOnEach(java.util.Collection<String> entities, java.util.Set<String> scope, Instant now,
                                      int perEntity) {
        if (entities.isEmpty()) {
            return List.of();
        }
        var query = em.createNativeQuery("""
                        select * from (select r.*, row_number() over (partition by r.entity order by r.id desc) as nth
                                         from unlock_request r
                                        where r.entity in (:entities) and r.status = 'PENDING' and r.expires_at > :now %s) ranked
                         where nth <= :per order by id desc""".formatted(scope == null ? "" : "and r.environment in (:scope)"),
                        UnlockRequest.class)
                .setParameter("entities", entities).setParameter("now", now).setParameter("per", perEntity);
        if (scope != null) {
            query.setParameter("scope", scope.isEmpty() ? List.of("") : scope);
        }
        return query.getResultList();
    }

    /** The live PENDING requests on each of the holds of {@code kind} with {@code holdIds} at {@code now}, oldest first. */
    List<UnlockRequest> pendingOnEach(String kind, java.util.Collection<String> holdIds, Instant now) {
        if (holdIds.isEmpty()) {
            return List.of();
        }
        return find("holdKind = ?1 and holdId in ?2 and status = ?3 and expiresAt > ?4", Sort.ascending("id"),
                kind, holdIds, UnlockRequestStatus.PENDING, now).list();
    }

    /**
     * The PENDING requests (lapsed or not) on the hold, locked, in id order. A native read of ids: nearly every hold
     * ends with no request pending, and this runs on every release (benchmark P1), where a query through Hibernate's
     * query engine cost more than the release's own SQL. Not db.Sql: a native query flushes the persistence context
     * first, so a request this transaction just approved does not read as pending.
     */
    List<UnlockRequest> pendingLocked(Hold hold) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                        select id from unlock_request
                         where hold_kind = :kind and hold_id = :hold and status = 'PENDING'
                         order by id for update""")
                .setParameter("kind", hold.kind())
                .setParameter("hold", hold.id())
                .getResultList();
        return loaded(ids);
    }

    /** At most {@code batch} PENDING requests past their expiry at {@code now}, locked; rows another transaction holds are skipped. */
    List<UnlockRequest> lapsedLocked(Instant now, int batch) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                        select id from unlock_request
                         where status = 'PENDING' and expires_at <= :now
                         order by id limit :batch
                           for update skip locked""")
                .setParameter("now", now)
                .setParameter("batch", batch)
                .getResultList();
        return loaded(ids);
    }

    /** Locks the request's row for this transaction and reloads it as committed. */
    void lockFresh(UnlockRequest request) {
        em.refresh(request, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The requests of {@code ids} (already row-locked), in id order, in one query. */
    private List<UnlockRequest> loaded(List<Number> ids) {
        return ids.isEmpty() ? List.of()
                : list("id in ?1", Sort.ascending("id"), ids.stream().map(Number::longValue).toList());
    }
}
