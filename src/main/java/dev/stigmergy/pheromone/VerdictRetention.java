package dev.stigmergy.pheromone;

import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * Removes verdicts older than their retention (issue 29). A verdict still inside its type's reinforcement window
 * counts towards a REINFORCEMENT_ONLY pheromone's strength (DESIGN.md §2), so it stays until that window has
 * passed too, whatever the retention. Verdicts of evaporated pheromones go with them ({@link PheromoneSweep},
 * {@code on delete cascade}).
 */
@ApplicationScoped
public class VerdictRetention {

    private static final String REMOVE_BATCH = """
            delete from pheromone_verdict where id in (
                select v.id from pheromone_verdict v
                  join pheromone p on p.id = v.pheromone_id
                  join signal_type t on t.name = p.type
                 where v.decided_at < ?
                   and v.decided_at < cast(? as timestamptz) - make_interval(secs => coalesce(t.window_seconds, 0))
                 order by v.decided_at limit ? for update of v skip locked)
            returning id""";

    private final EventLog events;

    public VerdictRetention(EventLog events) {
        this.events = events;
    }

    /**
     * Removes at most {@code batch} verdicts decided before {@code cutoff} and outside their type's window, in
     * one transaction, with one {@code retention.removed} event when it removed any.
     *
     * @return verdicts removed
     */
    @Transactional
    public int removeOld(Instant now, Instant cutoff, int batch) {
        return events.removedBatch(now, "pheromone_verdict", cutoff, REMOVE_BATCH, cutoff, now, batch);
    }
}
