package dev.stigmergy.lock;

import dev.stigmergy.entity.EntityService;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.Holds;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Locks as holds for the machinery that answers unlock requests (DESIGN.md §3): the live lock an unlock request is
 * made against, and its release or handover when the holder approves. The holder's own verbs are in
 * {@link LockService}; the transitions both use in {@link LockTransitions}.
 */
@ApplicationScoped
@Transactional
public class LockHandover implements Holds {

    private final LockTransitions transitions;
    private final EntityService entities;
    private final FencingTokens tokens;
    private final Event<HoldEnded> holdEnded;
    private final Clock clock;

    public LockHandover(LockTransitions transitions, EntityService entities, FencingTokens tokens,
                        Event<HoldEnded> holdEnded, Clock clock) {
        this.transitions = transitions;
        this.entities = entities;
        this.tokens = tokens;
        this.holdEnded = holdEnded;
        this.clock = clock;
    }

    /**
     * The live lock on {@code kind/key} as a hold, for an unlock request against it: locked until the caller's
     * transaction ends (so it cannot end meanwhile), and marked so that its release concludes pending requests.
     *
     * @throws NotLockedException no live lock (404)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold heldFor(String kind, String key) {
        Lock lock = transitions.liveLockedRow(entities.require(kind, key), clock.instant());
        lock.unlockRequested = true;
        return LockTransitions.hold(lock);
    }

    @Override
    public String kind() {
        return LockService.KIND;
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Hold> live(String id, Instant now) {
        Lock lock = transitions.byToken(id);
        return lock != null && lock.liveAt(now) ? Optional.of(LockTransitions.hold(lock)) : Optional.empty();
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold release(String id, String agent, Instant now) {
        return transitions.release(transitions.liveByToken(id, now), agent, now);
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold handOver(String id, String agent, String to, String reason, Instant now) {
        Lock lock = transitions.liveByToken(id, now);
        LockTransitions.requireHolder(lock, agent);
        Hold ended = LockTransitions.hold(lock);
        lock.grant(to, tokens.next(), lock.leaseSeconds, reason, now);
        transitions.append(now, "lock.handed-over", lock, agent,
                Map.of("from", agent, "previousFencingToken", ended.fencingToken()));
        holdEnded.fire(new HoldEnded(ended, HoldEnded.Cause.HANDED_OVER, now, agent));
        return LockTransitions.hold(lock);
    }
}
