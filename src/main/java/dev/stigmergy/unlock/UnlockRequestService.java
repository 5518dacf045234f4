package dev.stigmergy.unlock;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.HoldRequest;
import dev.stigmergy.lease.HoldRequests;
import dev.stigmergy.lease.Holds;
import dev.stigmergy.lease.NotHolderException;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.lock.LockHandover;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rules of unlock requests (DESIGN.md §3), over any hold. Lock order, to stay free of deadlocks with
 * the holder services: the hold first (through {@link Holds}), then the request rows.
 */
@ApplicationScoped
@Transactional
public class UnlockRequestService implements HoldRequests {

    /** Outcome of {@link #request}: the request, and whether this call created it (false: the pending one). */
    public record Requested(UnlockRequestView request, boolean created) {
    }

    private final UnlockRequestRepository requests;
    private final LockHandover locks;
    private final IntentService intents;
    private final EntityService entities;
    private final Instance<Holds> holds;
    private final EventLog events;
    private final UnlockRequestConfig config;
    private final Clock clock;

    public UnlockRequestService(UnlockRequestRepository requests, LockHandover locks, IntentService intents, EntityService entities, Instance<Holds> holds,
                                EventLog events, UnlockRequestConfig config, Clock clock) {
        this.requests = requests;
        this.locks = locks;
        this.intents = intents;
        this.entities = entities;
        this.holds = holds;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Requests that the holder of the live lock on {@code kind/key} release it.
     *
     * @see #request(Hold, RequestUnlock, Caller)
     * @throws dev.stigmergy.lock.NotLockedException no live lock (404)
     */
    public Requested requestLock(String kind, String key, RequestUnlock request, Caller caller) {
        return request(locks.heldFor(kind, key), request, caller);
    }

    /**
     * Requests that the holder of the active intent {@code intentId} release its files (or hand them over).
     *
     * @see #request(Hold, RequestUnlock, Caller)
     * @throws NotFoundException no active intent with this id (404)
     */
    public Requested requestIntent(long intentId, RequestUnlock request, Caller caller) {
        return request(intents.heldFor(intentId), request, caller);
    }

    /**
     * Requests that the holder release {@code hold}; the caller is the requester. A repeat request by the
     * same requester on the same hold returns the pending one unchanged. Recorded as
     * {@code unlock-request.created}.
     *
     * @param hold a live hold, locked in the caller's transaction by its holder service
     * @throws InvalidInputException the caller holds it, or {@code ttlSeconds} is above the maximum (400)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Requested request(Hold hold, RequestUnlock request, Caller caller) {
        caller.requireEnvironment(hold.environment());
        Instant now = now();
        if (hold.holder().equals(caller.agentId())) {
            throw new InvalidInputException("the caller holds " + hold.kind() + " " + hold.id() + " on "
                    + hold.entity() + "; release it instead");
        }
        int ttlSeconds = request.ttlSeconds() == null ? config.defaultTtlSeconds() : request.ttlSeconds();
        if (ttlSeconds < 1 || ttlSeconds > config.maxTtlSeconds()) {
            throw new InvalidInputException("ttlSeconds must be 1-" + config.maxTtlSeconds() + ", was " + ttlSeconds);
        }
        // the hold is locked, so this check-then-create cannot race with the same requester
        UnlockRequest pending = requests.pendingLocked(hold, caller.agentId());
        if (pending != null && pending.expiresAt.isAfter(now)) {
            return new Requested(view(pending, now), false);
        }
        if (pending != null) {
            conclude(pending, UnlockRequestStatus.EXPIRED, now, null, Map.of());
            requests.flush(); // the one-pending index must see it gone before the insert
        }
        UnlockRequest created = new UnlockRequest();
        created.holdKind = hold.kind();
        created.holdId = hold.id();
        created.entity = hold.entity();
        created.environment = hold.environment();
        created.holder = hold.holder();
        created.requester = caller.agentId();
        created.reason = request.reason();
        created.handover = Boolean.TRUE.equals(request.handover());
        created.status = UnlockRequestStatus.PENDING;
        created.createdAt = now;
        created.expiresAt = now.plusSeconds(ttlSeconds);
        requests.persist(created);
        append(now, "unlock-request.created", created, caller.agentId(), Map.of());
        return new Requested(view(created, now), true);
    }

    /**
     * The holder approves: in this one transaction the request becomes APPROVED and the hold is released,
     * or, when the request asked for a handover, handed to the requester with a new fencing token. Every
     * other pending request on the hold becomes OBSOLETE. Recorded as {@code unlock-request.approved}.
     *
     * @throws NotFoundException           no such request (404)
     * @throws NotHolderException          the caller is not the holder (403)
     * @throws RequestNotPendingException  already decided, withdrawn, expired or obsolete (409)
     */
    public UnlockRequestView approve(long id, String note, Caller caller) {
        Instant now = now();
        UnlockRequest request = require(id, caller);
        Holds holder = holdsOf(request.holdKind);
        Hold hold = decidable(request, holder, now, caller);
        request.status = UnlockRequestStatus.APPROVED;
        request.decidedAt = now;
        request.decidedBy = caller.agentId();
        request.note = note;
        if (request.handover) {
            request.grantedFencingToken = holder.handOver(hold.id(), caller.agentId(), request.requester, request.reason, now).fencingToken();
        } else {
            holder.release(hold.id(), caller.agentId(), now);
        }
        append(now, "unlock-request.approved", request, caller.agentId(), Map.of());
        return view(request, now);
    }

    /**
     * The holder rejects; the hold stays. Recorded as {@code unlock-request.rejected}.
     *
     * @throws NotFoundException           no such request (404)
     * @throws NotHolderException          the caller is not the holder (403)
     * @throws RequestNotPendingException  already decided, withdrawn, expired or obsolete (409)
     */
    public UnlockRequestView reject(long id, String note, Caller caller) {
        Instant now = now();
        UnlockRequest request = require(id, caller);
        decidable(request, holdsOf(request.holdKind), now, caller);
        request.note = note;
        conclude(request, UnlockRequestStatus.REJECTED, now, caller.agentId(), Map.of());
        return view(request, now);
    }

    /**
     * The requester withdraws its request. Recorded as {@code unlock-request.withdrawn}.
     *
     * @throws NotFoundException           no such request (404)
     * @throws ForbiddenException          the caller is not the requester (403)
     * @throws RequestNotPendingException  no longer pending (409)
     */
    public UnlockRequestView withdraw(long id, Caller caller) {
        Instant now = now();
        UnlockRequest request = require(id, caller);
        requests.lockFresh(request);
        if (!request.requester.equals(caller.agentId())) {
            throw new ForbiddenException("only the requester, agent " + request.requester + ", may withdraw unlock request " + id);
        }
        requirePending(request, now);
        conclude(request, UnlockRequestStatus.WITHDRAWN, now, caller.agentId(), Map.of());
        return view(request, now);
    }

    /**
     * @throws NotFoundException no such request (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public UnlockRequestView get(long id) {
        return view(require(id), now());
    }

    /**
     * The requests on the entity {@code kind/key}, as {@link #list}; for a scoped caller the entity must be in its
     * scope.
     *
     * @throws dev.stigmergy.api.ForbiddenException the entity's environment is outside the caller's scope (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UnlockRequestView> listOn(String kind, String key, UnlockRequestStatus status, int limit, Caller caller) {
        if (caller.scoped()) {
            entities.require(kind, key, caller); // an entity outside the scope is refused, not listed as empty
        }
        return list(kind + "/" + key, null, null, status, limit, caller);
    }

    /**
     * Requests newest first; each filter {@code null} for any, and only those the caller's environment scope reaches.
     * Status is read as of now (a lapsed PENDING request matches EXPIRED).
     *
     * @param limit at most this many, 1–1000
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UnlockRequestView> list(String entity, String holder, String requester, UnlockRequestStatus status,
                                        int limit, Caller caller) {
        Instant now = now();
        return requests.page(entity, holder, requester, status, caller.environments(), now, limit).stream().map(r -> view(r, now)).toList();
    }

    /**
     * The requests pending on each of {@code entities} (addresses) the caller's scope reaches, at most
     * {@code perEntity} each: what {@link #list} answers for one entity and {@code PENDING}, in one statement for all.
     *
     * @return by entity address, each list newest first; an entity without pending requests is left out
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<UnlockRequestView>> pendingOnEach(Collection<String> entities, int perEntity, Caller caller) {
        Instant now = now();
        Map<String, List<UnlockRequestView>> byEntity = new LinkedHashMap<>();
        for (UnlockRequest r : requests.pendingOnEach(entities, caller.environments(), now, perEntity)) {
            byEntity.computeIfAbsent(r.entity, e -> new ArrayList<>()).add(view(r, now));
        }
        return byEntity;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HoldRequest> pending(Hold hold, Instant now) {
        return pendingOnEach(hold.kind(), List.of(hold.id()), now).getOrDefault(hold.id(), List.of());
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<HoldRequest>> pendingOnEach(String kind, Collection<String> holdIds, Instant now) {
        Map<String, List<HoldRequest>> byHold = new LinkedHashMap<>();
        for (UnlockRequest r : requests.pendingOnEach(kind, holdIds, now)) {
            byHold.computeIfAbsent(r.holdId, h -> new ArrayList<>()).add(holdRequest(r));
        }
        return byHold;
    }

    private static HoldRequest holdRequest(UnlockRequest r) {
        return new HoldRequest(r.id, r.requester, r.reason, r.handover, r.createdAt, r.expiresAt);
    }

    /**
     * A hold ended by some path: its pending requests become OBSOLETE (or EXPIRED when they had lapsed), in
     * the ending transaction.
     */
    void onHoldEnded(@Observes HoldEnded ended) {
        for (UnlockRequest request : requests.pendingLocked(ended.hold())) {
            if (request.expiresAt.isAfter(ended.now())) {
                conclude(request, UnlockRequestStatus.OBSOLETE, ended.now(), null,
                        Map.of("holdEnded", ended.cause().name()));
            } else {
                conclude(request, UnlockRequestStatus.EXPIRED, ended.now(), null, Map.of());
            }
        }
    }

    /**
     * Records the expiry of up to {@code stigmergy.unlock-request.sweep-batch-size} undecided requests past
     * their {@code expiresAt}; rows another transaction holds are skipped.
     *
     * @return how many expiries were recorded
     */
    public int sweep() {
        Instant now = now();
        List<UnlockRequest> lapsed = requests.lapsedLocked(now, config.sweepBatchSize());
        for (UnlockRequest request : lapsed) {
            conclude(request, UnlockRequestStatus.EXPIRED, now, null, Map.of());
        }
        return lapsed.size();
    }

    // ---- inside ----

    /** The operation's instant; the clock ticks in microseconds, the database's precision ({@code time.ClockProducer}). */
    private Instant now() {
        return clock.instant();
    }

    // the request, on behalf of a caller whose environment scope must reach it (checked where the row is read)
    private UnlockRequest require(long id, Caller caller) {
        UnlockRequest request = require(id);
        caller.requireEnvironment(request.environment);
        return request;
    }

    private UnlockRequest require(long id) {
        UnlockRequest request = requests.findById(id);
        if (request == null) {
            throw new NotFoundException("unlock request", String.valueOf(id));
        }
        return request;
    }

    /**
     * Locks the hold, then the request (that order), and checks the caller may decide it now.
     *
     * @return the live hold
     */
    private Hold decidable(UnlockRequest request, Holds holder, Instant now, Caller caller) {
        Optional<Hold> hold = holder.live(request.holdId, now);
        requests.lockFresh(request);
        if (!request.holder.equals(caller.agentId())) {
            throw new NotHolderException(request.holdKind + " " + request.holdId + " on " + request.entity, request.holder);
        }
        requirePending(request, now);
        if (hold.isEmpty()) {
            // the hold lapsed and nobody recorded it yet: the request is as good as obsolete
            throw new RequestNotPendingException(request.id, UnlockRequestStatus.OBSOLETE);
        }
        return hold.get();
    }

    private static void requirePending(UnlockRequest request, Instant now) {
        UnlockRequestStatus status = request.statusAt(now);
        if (status != UnlockRequestStatus.PENDING) {
            throw new RequestNotPendingException(request.id, status);
        }
    }

    private Holds holdsOf(String kind) {
        for (Holds candidate : holds) {
            if (candidate.kind().equals(kind)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no service grants holds of kind " + kind);
    }

    private void conclude(UnlockRequest request, UnlockRequestStatus status, Instant now, String agent,
                          Map<String, Object> extra) {
        request.status = status;
        request.decidedAt = now;
        request.decidedBy = agent;
        append(now, "unlock-request." + status.name().toLowerCase(), request, agent, extra);
    }

    private void append(Instant now, String type, UnlockRequest request, String agent, Map<String, Object> extra) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("id", request.id);
        data.put("holdKind", request.holdKind);
        data.put("holdId", request.holdId);
        data.put("holder", request.holder);
        data.put("requester", request.requester);
        data.put("reason", request.reason);
        data.put("handover", request.handover);
        data.put("expiresAt", request.expiresAt);
        if (request.note != null) {
            data.put("note", request.note);
        }
        if (request.grantedFencingToken != null) {
            data.put("grantedFencingToken", request.grantedFencingToken);
        }
        data.putAll(extra);
        events.append(now, type, request.environment, request.entity, agent, data);
    }

    private static UnlockRequestView view(UnlockRequest r, Instant now) {
        return new UnlockRequestView(r.id, r.holdKind, r.holdId, r.entity, r.environment, r.holder, r.requester,
                r.reason, r.handover, r.statusAt(now), r.createdAt, r.expiresAt, r.decidedAt, r.decidedBy, r.note,
                r.grantedFencingToken);
    }
}
