package dev.stigmergy.event;

import dev.stigmergy.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Removes the oldest part of the event log and answers for it (issue 29, DESIGN.md §7 "Retention"). The log is
 * cut only from its start, as a contiguous prefix: a batch walks the ids after the watermark
 * ({@code event_retention.removed_up_to}) in order and removes them up to the first event that is not older than
 * the cutoff, so every id at or below the watermark is gone and every later one is kept. A position is then
 * "removed" exactly when it lies below the watermark, which {@link #requireKept} turns into a 410.
 */
@ApplicationScoped
public class EventRetention {

    // the watermark row's lock elects one remover (another replica's batch skips); the head is read on the primary
    // key from the watermark on, so removed rows (dead until vacuumed) are never walked again
    private static final String REMOVE_BATCH = """
            with mark as (select removed_up_to from event_retention for update skip locked),
                 head as (select e.id, e.occurred_at from event e, mark
                           where e.id > mark.removed_up_to and e.id <= ? order by e.id limit ?),
                 stop as (select coalesce(min(id), 9223372036854775807) as id from head where occurred_at >= ?),
                 gone as (delete from event e using head, stop where e.id = head.id and head.id < stop.id returning e.id)
            select (select count(*) from mark), count(*), coalesce(max(id), 0) from gone""";

    private static final String ADVANCE = "update event_retention set removed_up_to = greatest(removed_up_to, ?)";

    private static final String OLDEST_KEPT = """
            select (select e.id from event e where e.id > r.removed_up_to order by e.id limit 1), r.removed_up_to
              from event_retention r""";

    /** One batch's outcome: how many events it removed and the watermark after it. */
    public record Removed(int count, long upTo) {
    }

    /** The oldest position still readable: the watermark and the first id after it ({@code null}: none). */
    public record Kept(long removedUpTo, Long oldestKept) {
    }

    private final Sql sql;
    private final EventLog events;

    public EventRetention(Sql sql, EventLog events) {
        this.sql = sql;
        this.events = events;
    }

    /**
     * Removes at most {@code batch} of the oldest events that occurred before {@code cutoff}, in one short
     * transaction, with one {@code retention.removed} event when it removed any. Removes nothing while another
     * replica holds the watermark.
     *
     * @param now    the operation's instant
     * @param cutoff events that occurred before it may go
     * @param cap    never remove an id above it (the NATS bridge's published position, or {@code Long.MAX_VALUE})
     * @param batch  most rows removed, ≥ 1
     */
    @Transactional
    public Removed removeBatch(Instant now, Instant cutoff, long cap, int batch) {
        List<Long> row = sql.oneRow(REMOVE_BATCH, r -> List.of(r.getLong(1), r.getLong(2), r.getLong(3)), cap, batch, cutoff);
        if (row.get(0) == 0 || row.get(1) == 0) {
            return new Removed(0, 0);
        }
        long upTo = row.get(2);
        sql.rows(ADVANCE + " returning removed_up_to", r -> r.getLong(1), upTo);
        events.append(now, "retention.removed", null, null, null,
                Map.of("table", "event", "count", row.get(1), "removedUpTo", upTo, "cutoff", cutoff.toString()));
        return new Removed(row.get(1).intValue(), upTo);
    }

    /** The watermark and the oldest id kept. */
    public Kept kept() {
        return sql.oneRow(OLDEST_KEPT, r -> new Kept(r.getLong(2), (Long) r.getObject(1)));
    }

    /**
     * Checks that a reader resuming after {@code position} misses nothing retention removed. Position 0 means
     * "from the start of the log as kept" and is always readable.
     *
     * @throws PositionRemovedException events after {@code position} were removed (410), naming the oldest kept
     */
    public void requireKept(long position) {
        if (position <= 0) {
            return;
        }
        Kept kept = kept();
        if (position < kept.removedUpTo()) {
            throw new PositionRemovedException(position, kept.removedUpTo(), kept.oldestKept());
        }
    }
}
