package dev.stigmergy.lease;

import java.time.Instant;

/**
 * Fired synchronously, inside the transaction that ends a hold, by the service that owns the hold, on
 * every path that ends a hold unlock requests may be pending against. Higher packages observe it to react in
 * the same transaction (pending unlock requests on the hold become OBSOLETE, DESIGN.md §3). A hold its service
 * knows was never asked to unlock may end without it (the common lock release, {@code LockService}).
 *
 * @param hold  the hold as it was when it ended
 * @param cause how it ended
 * @param now   the ending operation's instant
 * @param agent the agent whose call ended it, or {@code null} when the service did (expiry)
 */
public record HoldEnded(Hold hold, Cause cause, Instant now, String agent) {

    /** How a hold ended. */
    public enum Cause {
        /** its holder released it (possibly by approving an unlock request) */
        RELEASED,
        /** its lease lapsed */
        EXPIRED,
        /** an admin force-released it */
        FORCE_RELEASED,
        /** its holder handed it over to another agent, which got a new hold */
        HANDED_OVER
    }
}
