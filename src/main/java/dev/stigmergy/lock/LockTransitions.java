package dev.stigmergy.lock;

import dev.stigmergy.event.EventLog;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.NotHolderException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The transitions of a lock row that both doors of locks share ({@link LockService}: the holder's own verbs;
 * {@link LockHandover}: ending or handing over a hold for an unlock request): who may act, how a grant is extended or
 * ended, and the event each records. Runs inside its caller's transaction, on a row the caller has locked.
 */
@ApplicationScoped
class LockTransitions {

    private final LockRepository locks;
    private final EventLog events;
    private final Event<HoldEnded> holdEnded;

    LockTransitions(LockRepository locks, EventLog events, Event<HoldEnded> holdEnded) {
        this.locks = locks;
        this.events = events;
        this.holdEnded = holdEnded;
    }

    /**
     * The live lock row of {@code entity}, locked for this transaction.
     *
     * @throws NotLockedException no live lock (404)
     */
    Lock liveLockedRow(dev.stigmergy.entity.EntityRef entity, Instant now) {
        Lock lock = locks.findById(entity.id(), LockModeType.PESSIMISTIC_WRITE);
        if (lock == null || !lock.liveAt(now)) {
            throw new NotLockedException(entity.address());
        }
        return lock;
    }

    /** The row granted under fencing token {@code id}, locked for this transaction, or {@code null}. */
    Lock byToken(String id) {
        long token;
        try {
            token = Long.parseLong(id);
        } catch (NumberFormatException e) {
            return null;
        }
        return locks.byTokenLocked(token);
    }

    /**
     * The live row granted under fencing token {@code id}, locked for this transaction.
     *
     * @throws NotLockedException no live lock under that token (404)
     */
    Lock liveByToken(String id, Instant now) {
        Lock lock = byToken(id);
        if (lock == null || !lock.liveAt(now)) {
            throw new NotLockedException("lock " + id);
        }
        return lock;
    }

    /**
     * @throws NotHolderException {@code agent} does not hold the lock (403)
     */
    static void requireHolder(Lock lock, String agent) {
        if (!lock.holder.equals(agent)) {
            throw new NotHolderException("the lock on " + lock.entity, lock.holder);
        }
    }

    /** New expiry {@code now + leaseSeconds}, same fencing token; recorded as {@code lock.renewed} by {@code via}. */
    void extend(Lock lock, int leaseSeconds, Instant now, String agent, String via) {
        lock.leaseSeconds = leaseSeconds;
        lock.expiresAt = now.plusSeconds(leaseSeconds);
        append(now, "lock.renewed", lock, agent, Map.of("via", via));
    }

    /** Records the expiry of a lapsed grant and frees the row; false when the row is not lapsed. */
    boolean endIfLapsed(Lock lock, Instant now) {
        if (!lock.lapsedAt(now)) {
            return false;
        }
        end(lock, HoldEnded.Cause.EXPIRED, now, null, Map.of());
        return true;
    }

    /** The holder {@code agent} releases the live lock; returns the hold as it ended. */
    Hold release(Lock lock, String agent, Instant now) {
        requireHolder(lock, agent);
        Hold ended = hold(lock);
        end(lock, HoldEnded.Cause.RELEASED, now, agent, Map.of());
        return ended;
    }

    /** Records the end by {@code cause}, frees the row and fires {@link HoldEnded}. */
    void end(Lock lock, HoldEnded.Cause cause, Instant now, String agent, Map<String, Object> extra) {
        Hold ended = hold(lock);
        String type = switch (cause) {
            case RELEASED -> "lock.released";
            case EXPIRED -> "lock.expired";
            case FORCE_RELEASED -> "lock.force-released";
            case HANDED_OVER -> "lock.handed-over";
        };
        append(now, type, lock, agent, extra);
        lock.free();
        holdEnded.fire(new HoldEnded(ended, cause, now, agent));
    }

    /** Appends the lock event {@code type} with the grant as it stands and {@code extra}. */
    void append(Instant now, String type, Lock lock, String agent, Map<String, Object> extra) {
        Map<String, Object> data = eventData(lock.holder, lock.fencingToken, lock.leaseSeconds, lock.acquiredAt,
                lock.expiresAt, lock.reason);
        data.putAll(extra);
        events.append(now, type, lock.environment, lock.entity, agent, data);
    }

    /** The grant as every lock event records it; {@code null} token and reason are left out. */
    static Map<String, Object> eventData(String holder, Long fencingToken, Integer leaseSeconds,
                                         Instant acquiredAt, Instant expiresAt, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("holder", holder);
        if (fencingToken != null) {
            data.put("fencingToken", fencingToken);
        }
        data.put("leaseSeconds", leaseSeconds);
        data.put("acquiredAt", acquiredAt);
        data.put("expiresAt", expiresAt);
        if (reason != null) {
            data.put("reason", reason);
        }
        return data;
    }

    static Hold hold(Lock lock) {
        return new Hold(LockService.KIND, String.valueOf(lock.fencingToken), lock.entity, lock.environment,
                lock.holder, lock.fencingToken, lock.expiresAt);
    }

    static HeldLock held(Lock lock) {
        return new HeldLock(lock.entity, lock.holder, lock.fencingToken, lock.expiresAt);
    }

    static LockGrant grant(Lock lock) {
        return new LockGrant(lock.entity, lock.environment, lock.holder, lock.fencingToken, lock.reason,
                lock.leaseSeconds, lock.acquiredAt, lock.expiresAt);
    }
}
