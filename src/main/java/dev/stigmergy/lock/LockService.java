package dev.stigmergy.lock;

import dev.stigmergy.agent.AgentDeactivated;
import dev.stigmergy.lease.LiveLeases;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.lease.Heartbeat;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.HoldRequest;
import dev.stigmergy.lease.HoldRequests;
import dev.stigmergy.lease.RenewedLease;
import io.quarkus.narayana.jta.QuarkusTransaction;
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

/**
 * The holder's verbs on locks (DESIGN.md §3): acquire, renew, release, force release, read, fencing check, and
 * the sweeps and observers that act for it. Unlock requests reach locks through {@link LockHandover}; the
 * transitions both share (who may act, extend, end, the event each records) are {@link LockTransitions}. Every
 * check-and-act runs in
 * one transaction after locking the entity's lock row ({@code select ... for update}, or the row lock of the
 * single statement that grants a free row or frees the holder's), so concurrent callers are serialised per
 * entity and never see a half-done grant. Expiry is a comparison with the operation's
 * {@code now}: a lapsed lock is free on read and write; {@link LockSweep} records the expiry of lapsed locks
 * nobody touched. Every transition appends its event.
 *
 * <p>Its SQL lives in {@link LockRepository}. The common acquire (a free row) and the common release (by the live holder, no unlock request made) are one
 * statement each, in autocommit when the caller has no transaction: change and event commit together, in one
 * round trip (benchmark P1). Every other case takes the general path in a transaction. Every end of a hold that
 * may have unlock requests pending fires {@link HoldEnded}; the row's {@code unlock_requested} flag tells
 * the common release that none can be.
 */
@ApplicationScoped
@Transactional
public class LockService implements LiveLeases {

    /** The hold kind of locks; a lock's hold id is its fencing token. */
    public static final String KIND = "lock";

    /** Outcome of {@link #acquire}: the grant, and whether it is new (false: the holder renewed it). */
    public record Acquired(LockGrant lock, boolean granted) {
    }

    private final LockRepository locks;
    private final EntityService entities;
    private final FencingTokens tokens;
    private final EventLog events;
    private final LockTransitions transitions;
    private final Instance<HoldRequests> holdRequests;
    private final LockConfig config;
    private final Clock clock;

    public LockService(LockRepository locks, EntityService entities, FencingTokens tokens, EventLog events,
                       LockTransitions transitions, Instance<HoldRequests> holdRequests, LockConfig config,
                       Clock clock) {
        this.locks = locks;
        this.entities = entities;
        this.tokens = tokens;
        this.events = events;
        this.transitions = transitions;
        this.holdRequests = holdRequests;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Acquires the lock on {@code kind/key} for the caller, or renews it when the caller already holds it
     * (same hold and fencing token, new expiry). A lapsed lock of another agent is ended first
     * ({@code lock.expired}). Recorded as {@code lock.acquired} or {@code lock.renewed}.
     *
     * @return the grant, with a new fencing token when {@link Acquired#granted()}
     * @throws InvalidInputException                  lease above {@code stigmergy.lock.max-lease-seconds} (400)
     * @throws dev.stigmergy.api.NotFoundException    unknown kind or entity (404)
     * @throws LockHeldException                      another agent holds it; carries that hold (409)
     */
    // a write under SUPPORTS: the common case is one autocommit statement; the rest joins a transaction it opens
    @Transactional(Transactional.TxType.SUPPORTS)
    public Acquired acquire(String kind, String key, AcquireLock request, Caller caller) {
        int leaseSeconds = checkLease(request.leaseSeconds());
        EntityRef entity = entities.require(kind, key, caller);
        Instant now = now();
        LockGrant free = grantIfFree(entity, caller.agentId(), leaseSeconds, request.reason(), now);
        if (free != null) {
            return new Acquired(free, true);
        }
        return QuarkusTransaction.joiningExisting().call(() -> acquireTaken(entity, leaseSeconds, request, caller, now));
    }

    // a held, lapsed or never-created row: decided under its row lock
    private Acquired acquireTaken(EntityRef entity, int leaseSeconds, AcquireLock request, Caller caller, Instant now) {
        Lock lock = locks.lockedRow(entity);
        if (lock.liveAt(now)) {
            if (!lock.holder.equals(caller.agentId())) {
                throw new LockHeldException(LockTransitions.held(lock));
            }
            if (request.reason() != null) {
                lock.reason = request.reason();
            }
            transitions.extend(lock, leaseSeconds, now, caller.agentId(), "acquire");
            return new Acquired(LockTransitions.grant(lock), false);
        }
        transitions.endIfLapsed(lock, now);
        lock.grant(caller.agentId(), tokens.next(), leaseSeconds, request.reason(), now);
        transitions.append(now, "lock.acquired", lock, caller.agentId(), Map.of());
        return new Acquired(LockTransitions.grant(lock), true);
    }

    /**
     * The holder renews its lock: new expiry {@code now + leaseSeconds}, same fencing token. Recorded as
     * {@code lock.renewed}.
     *
     * @param leaseSeconds new lease length, 1 s to the configured maximum; {@code null} keeps the hold's own
     * @throws NotLockedException  no live lock (404)
     * @throws NotHolderException  another agent holds it (403)
     */
    public LockGrant renew(String kind, String key, Integer leaseSeconds, Caller caller) {
        Integer checked = leaseSeconds == null ? null : checkLease(leaseSeconds);
        Instant now = now();
        Lock lock = transitions.liveLockedRow(entities.require(kind, key, caller), now);
        LockTransitions.requireHolder(lock, caller.agentId());
        transitions.extend(lock, checked == null ? lock.leaseSeconds : checked, now, caller.agentId(), "renew");
        return LockTransitions.grant(lock);
    }

    /**
     * The holder releases its lock. Recorded as {@code lock.released}; pending unlock requests become OBSOLETE.
     *
     * @return the grant as it ended
     * @throws NotLockedException  no live lock (404)
     * @throws NotHolderException  another agent holds it (403)
     */
    // a write under SUPPORTS: the common case is one autocommit statement; the rest joins a transaction it opens
    @Transactional(Transactional.TxType.SUPPORTS)
    public LockGrant release(String kind, String key, Caller caller) {
        Instant now = now();
        EntityRef entity = entities.require(kind, key, caller);
        LockGrant released = releaseIfHeld(entity, caller.agentId(), now);
        if (released != null) {
            return released;
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Lock lock = transitions.liveLockedRow(entity, now);
            LockTransitions.requireHolder(lock, caller.agentId());
            LockGrant ended = LockTransitions.grant(lock);
            transitions.end(lock, HoldEnded.Cause.RELEASED, now, caller.agentId(), Map.of());
            return ended;
        });
    }

    /**
     * An admin ends another agent's lock, with a reason. Recorded as {@code lock.force-released} with the
     * reason; pending unlock requests become OBSOLETE.
     *
     * @return the grant as it ended
     * @throws dev.stigmergy.api.ForbiddenException the call does not act as admin (403)
     * @throws NotLockedException                   no live lock (404)
     */
    public LockGrant forceRelease(String kind, String key, String reason, Caller caller) {
        caller.requireAdmin("force-releasing a lock");
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("force-releasing a lock needs a reason");
        }
        Instant now = now();
        Lock lock = transitions.liveLockedRow(entities.require(kind, key, caller), now);
        LockGrant ended = LockTransitions.grant(lock);
        transitions.end(lock, HoldEnded.Cause.FORCE_RELEASED, now, caller.agentId(), Map.of("reason", reason));
        return ended;
    }

    /**
     * The live lock on {@code kind/key} with the unlock requests pending against it.
     *
     * @throws NotLockedException no live lock (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public LockView get(String kind, String key) {
        EntityRef entity = entities.require(kind, key);
        Instant now = now();
        Lock lock = locks.findById(entity.id());
        if (lock == null || !lock.liveAt(now)) {
            throw new NotLockedException(entity.address());
        }
        List<HoldRequest> pending = holdRequests.isResolvable() ? holdRequests.get().pending(LockTransitions.hold(lock), now) : List.of();
        return view(lock, pending);
    }

    /**
     * The live locks on {@code entities}, each with the unlock requests pending against it, as {@link #get} answers
     * them one by one, in two statements for all; an entity without a live lock is left out.
     *
     * @return by entity address
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, LockView> liveOn(Collection<EntityRef> entities) {
        Instant now = now();
        List<Lock> live = locks.liveOn(entities.stream().map(EntityRef::id).toList(), now);
        Map<String, List<HoldRequest>> pending = live.isEmpty() || !holdRequests.isResolvable() ? Map.of()
                : holdRequests.get().pendingOnEach(KIND, live.stream().map(l -> LockTransitions.hold(l).id()).toList(), now);
        Map<String, LockView> views = new LinkedHashMap<>();
        for (Lock lock : live) {
            views.put(lock.entity, view(lock, pending.getOrDefault(LockTransitions.hold(lock).id(), List.of())));
        }
        return views;
    }

    private static LockView view(Lock lock, List<HoldRequest> pending) {
        return new LockView(lock.entity, lock.environment, lock.holder, lock.fencingToken, lock.reason,
                lock.leaseSeconds, lock.acquiredAt, lock.expiresAt, pending);
    }

    /**
     * Live locks the caller may reach (its environment scope), ordered by entity address; each filter {@code null}
     * for any.
     *
     * @param limit at most this many, 1–1000
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<LockGrant> list(String environment, String holder, int limit, Caller caller) {
        return locks.live(environment, holder, caller.environments(), now(), limit).stream().map(LockTransitions::grant).toList();
    }

    /**
     * The live locks of each of {@code holders} the caller may reach, at most {@code perHolder} each: what
     * {@link #list} answers for one holder at a time, in one statement for all.
     *
     * @return by holder, each list ordered by entity address; a holder without live locks is left out
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<LockGrant>> listOfEach(Collection<String> holders, int perHolder, Caller caller) {
        Map<String, List<LockGrant>> byHolder = new LinkedHashMap<>();
        for (Lock lock : locks.liveOfEach(holders, caller.environments(), now(), perHolder)) {
            byHolder.computeIfAbsent(lock.holder, h -> new ArrayList<>()).add(LockTransitions.grant(lock));
        }
        return byHolder;
    }

    /**
     * Whether {@code token} is the fencing token of the live lock on the entity now: gates (merge, deploy)
     * call it to reject a stale holder.
     *
     * @throws InvalidInputException                the address is not {@code kind/key} (400)
     * @throws dev.stigmergy.api.NotFoundException  unknown kind or entity (404)
     * @return the verdict, naming the entity's environment: REST's scope filter answers 403 for an agent limited
     *         to other environments
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public FencingVerdict check(FencingCheck request) {
        String address = request.entity();
        int slash = address.indexOf('/');
        if (slash < 1 || slash == address.length() - 1) {
            throw new InvalidInputException("entity must be an address kind/key");
        }
        EntityRef entity = entities.require(address.substring(0, slash), address.substring(slash + 1));
        Lock lock = locks.findById(entity.id());
        if (lock == null || !lock.liveAt(now())) {
            return new FencingVerdict(entity.address(), entity.environment(), request.fencingToken(), false, null, null);
        }
        return new FencingVerdict(entity.address(), entity.environment(), request.fencingToken(), lock.fencingToken.equals(request.fencingToken()),
                lock.fencingToken, lock.holder);
    }

    /** Renews every live lock of the heartbeating agent by its own lease length; reports each. */
    void onHeartbeat(@Observes Heartbeat heartbeat) {
        for (LockRepository.Renewed lock : locks.renewAllOf(heartbeat.agentId(), heartbeat.now())) {
            events.appended(lock.eventId());
            heartbeat.renewed(new RenewedLease(KIND, String.valueOf(lock.fencingToken()), lock.entity(),
                    lock.fencingToken(), lock.expiresAt()));
        }
    }

    /** Releases every live lock of a deactivated agent as the holder would ({@code lock.released}, HoldEnded). */
    void onDeactivation(@Observes AgentDeactivated deactivation) {
        Instant now = deactivation.now();
        for (Lock lock : locks.liveOf(deactivation.agentId(), now)) {
            String entity = lock.entity;
            Hold ended = transitions.release(transitions.liveByToken(String.valueOf(lock.fencingToken), now),
                    deactivation.agentId(), now);
            deactivation.released(new AgentDeactivated.Released(KIND, ended.id(), entity));
        }
    }

    /**
     * Ends up to {@code stigmergy.lock.sweep-batch-size} lapsed locks, recording {@code lock.expired} for each;
     * rows another transaction holds are skipped (it decides them itself).
     *
     * @return how many expiries were recorded
     */
    public int sweep() {
        Instant now = now();
        int ended = 0;
        for (long id : locks.lapsedLocked(now, config.sweepBatchSize())) {
            Lock lock = locks.findById(id);
            if (lock != null && transitions.endIfLapsed(lock, now)) {
                ended++;
            }
        }
        return ended;
    }

    // ---- inside ----

    /** The operation's instant; the clock ticks in microseconds, the database's precision ({@code time.ClockProducer}). */
    private Instant now() {
        return clock.instant();
    }

    private int checkLease(int leaseSeconds) {
        if (leaseSeconds < 1 || leaseSeconds > config.maxLeaseSeconds()) {
            throw new InvalidInputException("leaseSeconds must be 1-" + config.maxLeaseSeconds() + ", was " + leaseSeconds);
        }
        return leaseSeconds;
    }

    /** Grants a free lock row to {@code agent} in one statement; {@code null} when the row is not free. */
    private LockGrant grantIfFree(EntityRef entity, String agent, int leaseSeconds, String reason, Instant now) {
        Instant expiresAt = now.plusSeconds(leaseSeconds);
        String data = events.serialise(LockTransitions.eventData(agent, null, leaseSeconds, now, expiresAt, reason));
        return appended(locks.grantIfFree(entity, agent, leaseSeconds, reason, now, expiresAt, data));
    }

    /**
     * Releases the live lock {@code agent} holds in one statement when no unlock request was made against it;
     * {@code null} otherwise.
     */
    private LockGrant releaseIfHeld(EntityRef entity, String agent, Instant now) {
        return appended(locks.releaseIfHeld(entity, agent, now));
    }

    // the event of a one-statement path is announced when it commits, like one from EventLog.append
    private LockGrant appended(LockRepository.Written written) {
        if (written == null) {
            return null;
        }
        events.appended(written.eventId());
        return written.grant();
    }

    /** Live locks per holder among {@code agents} at {@code now} (agent liveness). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Integer> liveLeases(List<String> agents, Instant now) {
        return LiveLeases.counted(locks.liveCounts(agents, now));
    }
}
