package dev.stigmergy.lease;

import java.time.Instant;
import java.util.Optional;

/**
 * What a service that grants holds of one {@link #kind()} offers to the machinery acting on any hold
 * (unlock requests, DESIGN.md §3). Implementations are CDI beans; callers pick one by {@link #kind()}.
 * Every method runs in the caller's transaction and ends a hold only after locking it, so that a
 * concurrent call sees the hold either before or after the change, never half-done. Ending a hold fires
 * {@link HoldEnded}.
 */
public interface Holds {

    /** The kind of hold this service grants, e.g. {@code lock}. */
    String kind();

    /**
     * The hold with this id while it is live at {@code now}; empty when it ended or lapsed.
     */
    Optional<Hold> live(String id, Instant now);

    /**
     * The holder releases the hold with this id, e.g. because it approved an unlock request.
     *
     * @param agent the agent releasing; must be the holder
     * @return the hold as it ended
     * @throws dev.stigmergy.api.StigmergyException the hold is not live (404) or {@code agent} does not hold it (403)
     */
    Hold release(String id, String agent, Instant now);

    /**
     * The holder hands the hold with this id over to {@code to}, atomically: the old hold ends
     * ({@link HoldEnded.Cause#HANDED_OVER}) and {@code to} gets a new hold with a new fencing token and the
     * same lease length from {@code now}.
     *
     * @param agent  the agent handing over; must be the holder
     * @param reason why {@code to} takes the hold (its unlock request's reason): the new hold's reason, not the
     *               previous holder's
     * @return the new hold of {@code to}
     * @throws dev.stigmergy.api.StigmergyException the hold is not live (404) or {@code agent} does not hold it (403)
     */
    Hold handOver(String id, String agent, String to, String reason, Instant now);
}
