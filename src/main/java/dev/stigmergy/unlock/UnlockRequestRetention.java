package dev.stigmergy.unlock;

import dev.stigmergy.db.Sql;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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

    private final Sql sql;
    private final EventLog events;

    public UnlockRequestRetention(Sql sql, EventLog events) {
        this.sql = sql;
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
        List<Long> gone = sql.rows(REMOVE_BATCH, r -> r.getLong(1), cutoff, batch);
        if (!gone.isEmpty()) {
            events.append(now, "retention.removed", null, null, null,
                    Map.of("table", "unlock_request", "count", gone.size(), "cutoff", cutoff.toString()));
        }
        return gone.size();
    }
}
