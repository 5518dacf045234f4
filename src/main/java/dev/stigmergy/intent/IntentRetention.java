package dev.stigmergy.intent;

import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Removes intents that ended (COMPLETED, CANCELLED, EXPIRED) long enough ago, with their files and blocked-entity
 * rows (issue 29). An ACTIVE intent is never touched, even past its expiry: the sweep records that expiry first
 * ({@link IntentSweep}), and only then does the intent age out. Unlock requests name intents by id without a
 * foreign key; they age out on their own.
 */
@ApplicationScoped
public class IntentRetention {

    // the children go in the same statement: their foreign keys (NO ACTION) are checked at its end
    private static final String REMOVE_BATCH = """
            with doomed as (select id from intent where status <> 'ACTIVE' and ended_at < ?
                             order by ended_at limit ? for update skip locked),
                 files as (delete from intent_file where intent_id in (select id from doomed)),
                 blocked as (delete from intent_blocked_entity where intent_id in (select id from doomed))
            delete from intent where id in (select id from doomed) returning id""";

    private final EventLog events;

    public IntentRetention(EventLog events) {
        this.events = events;
    }

    /**
     * Removes at most {@code batch} intents that ended before {@code cutoff}, in one transaction, with one
     * {@code retention.removed} event when it removed any.
     *
     * @return intents removed
     */
    @Transactional
    public int removeEnded(Instant now, Instant cutoff, int batch) {
        return events.removedBatch(now, "intent", cutoff, REMOVE_BATCH, cutoff, batch);
    }
}
