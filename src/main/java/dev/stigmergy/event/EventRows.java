package dev.stigmergy.event;

/**
 * The only SQL that appends event rows (DESIGN.md §1 "event"). A hot path that writes its change and its event in one
 * statement (benchmarks P1, P2, P7) builds that statement from {@link #appendedFrom} instead of writing its own
 * {@code insert into event}; {@link EventLog#append} uses the same insert for one event.
 *
 * <p>The rule every append obeys: the transaction has its id (xid) before the insert draws an event id, so an id drawn
 * by a transaction still open is always drawn by a writer listed in {@code pg_stat_activity}; the stream reader relies
 * on it to tell a late commit from a rollback ({@link EventLog#runningWriters}). The {@code source} of every fragment
 * here is therefore a materialised CTE of the same statement that gave the transaction its id first: a data-modifying
 * CTE (or one reading from it), or {@code pg_current_xact_id()}. An event id answered by a caller's own statement is
 * then registered with {@link EventLog#appended}, so it is announced at commit.
 */
public final class EventRows {

    /** Draws the next event id, for a statement that must know each event's id before it inserts it. */
    public static final String NEXT_ID = "nextval('event_id_seq')";

    private static final String COLUMNS = "occurred_at, type, environment, entity, agent, data";

    private EventRows() {
    }

    /**
     * An insert appending one event per row of {@code source}, answering each new id ({@code returning id}).
     *
     * @param source a CTE (or {@code from} list) whose rows are the events, see the class doc for its rule
     * @param values the select list in column order: {@code occurred_at, type, environment, entity, agent, data}
     *               ({@code timestamptz, text, text, text, text, jsonb})
     */
    public static String appendedFrom(String source, String values) {
        return "insert into event (" + COLUMNS + ")\nselect " + values + "\n  from " + source + "\nreturning id";
    }

    /**
     * As {@link #appendedFrom}, with ids the statement drew itself with {@link #NEXT_ID} after its write (set-based,
     * so a round can answer which event each of its rows appended); answers nothing.
     *
     * @param values the select list: {@code id} first, then the columns of {@link #appendedFrom}
     */
    public static String appendedWithIdsFrom(String source, String values) {
        return "insert into event (id, " + COLUMNS + ")\nselect " + values + "\n  from " + source;
    }
}
