package dev.stigmergy.unlock;

import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Removes unlock requests that ended (APPROVED, REJECTED, WITHDRAWN, EXPIRED, OBSOLETE) long enough ago (issue
 * 29). A PENDING request stays, even past its expiry, until the sweep records it EXPIRED.
 */
@ApplicationScoped
public class UnlockRequestRetention {

    private static final String REMOVE_BATCH = """
            delete from unlock_request where id in (
                select id from unlock_request where status <> 'PENDING' and coalesce(decided_at, expires_at) < ?
                 order by coalesce(decided_at, expires_at) limit ? for update skip locked)
            returning id""";

    private final EventLog events;

    public UnlockRequestRetention(EventLog events) {
        this.events = events;
    }

    /**
     * Removes at most {@code batch} requests that ended before {@code cutoff}, in one transaction, with one
     * {@code retention.removed} event when it removed any.
     *
     * @return requests removed
     */
    @Transactional
    public int removeEnded(Instant now, Instant cutoff, int batch) {
        return events.removedBatch(now, "unlock_request", cutoff, REMOVE_BATCH, cutoff, batch);
    }
}
