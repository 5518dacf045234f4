package dev.stigmergy.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * The append-only event log (DESIGN.md §1 "event", §5). {@link #append} must run inside the transaction
 * of the change it records, so an event exists exactly when its change committed; once it committed,
 * {@link EventNotifier} announces it to the streams of every replica.
 */
@ApplicationScoped
public class EventLog {

    // The id comes from the column's default, in the insert itself: one round trip per event, not two.
    // The materialised CTE gives the transaction its id (xid) before the insert draws the event id, so an id
    // drawn by a transaction that is still open is always drawn by a listed writer: the stream
    // reader relies on it to tell a late commit from a rollback (EventHub, runningWriters).
    private static final String INSERT = "with tx as materialized (select pg_current_xact_id())\n"
            + EventRows.appendedFrom("tx", "?, ?, ?, ?, ?, cast(? as jsonb)");

    /** Key of the transaction's resource holding the highest event id it appended. */
    private static final Object LAST_APPENDED = new Object();

    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final EventNotifier notifier;
    private final Sql sql;

    public EventLog(ObjectMapper json, TransactionSynchronizationRegistry transactions,
                    EventNotifier notifier, Sql sql) {
        this.json = json;
        this.transactions = transactions;
        this.notifier = notifier;
        this.sql = sql;
    }

    /**
     * Appends one event in the caller's transaction.
     *
     * @param now         the operation's instant
     * @param type        dotted type, e.g. {@code agent.registered}
     * @param environment environment name or {@code null}
     * @param entity      entity address {@code kind/key} or {@code null}
     * @param agent       acting agent id or {@code null} for the service
     * @param data        details, serialised as a JSON object
     * @return the new event's id
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long append(Instant now, String type, String environment, String entity, String agent,
                       Map<String, ?> data) {
        String serialised = serialise(data);
        // plain JDBC (db.Sql, on the transaction's connection): the log is append-only, so Hibernate's identity map,
        // flush and a separate nextval would only cost time on every write path (benchmarks P1, P2, P7)
        long id = sql.oneRow(INSERT, row -> row.getLong(1), now, type, new Sql.Text(environment), new Sql.Text(entity),
                new Sql.Text(agent), serialised);
        announceAtCommit(id);
        return id;
    }

    /**
     * Serialises event data as {@link #append} does, for a write path that inserts its event in the same
     * statement as its change (see {@link #appended}).
     */
    public String serialise(Map<String, ?> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
    }

    /**
     * Registers an event the caller inserted itself, in the statement that made its change (a hot path
     * saving a round trip, benchmark P1), so it is announced when the transaction commits like one from
     * {@link #append}; outside a transaction that statement ran in autocommit and has committed, so it is
     * announced at once. That statement appends with {@link EventRows}, whose rule it must follow.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public void appended(long id) {
        if (transactions.getTransactionStatus() == Status.STATUS_NO_TRANSACTION) {
            notifier.committed(id);
        } else {
            announceAtCommit(id);
        }
    }

    // once per transaction: after it commits, EventNotifier wakes the streams of every replica
    private void announceAtCommit(long id) {
        long[] last = (long[]) transactions.getResource(LAST_APPENDED);
        if (last == null) {
            long[] appended = {id};
            transactions.putResource(LAST_APPENDED, appended);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        notifier.committed(appended[0]);
                    }
                }
            });
        } else {
            last[0] = Math.max(last[0], id);
        }
    }

    /**
     * Reads the log after a position, in id order, filtered by exact type, environment, entity and agent
     * (each {@code null} for any).
     *
     * @param after exclusive lower bound on the id, ≥ 0
     * @param limit page size, 1–1000
     */
    public EventPage read(long after, int limit, String type, String environment, String entity, String agent) {
        List<EventView> views = find(after, Long.MAX_VALUE, limit, type, environment, entity, agent);
        long next = views.isEmpty() ? after : views.get(views.size() - 1).id();
        return new EventPage(views, next);
    }

    /**
     * Reads the log for a stream, in id order (callable from any thread).
     *
     * @param after exclusive lower bound on the id
     * @param upTo  inclusive upper bound on the id
     * @param limit most events answered
     * @param environment exact environment, or {@code null} for any; likewise {@code entity}, {@code agent}
     */
    public List<EventView> readRange(long after, long upTo, int limit, String environment, String entity, String agent) {
        return find(after, upTo, limit, null, environment, entity, agent);
    }

    /** The ids after {@code after}, ascending, at most {@code limit}. */
    public List<Long> readIds(long after, int limit) {
        return sql.rows("select id from event where id > ? order by id limit ?", row -> row.getLong(1), after, limit);
    }

    /**
     * When each agent was last seen: its latest heartbeat and its latest event. Agent ids never contain a
     * comma ({@code agent.Ids}), so the list travels as one comma-joined parameter.
     *
     * @param agents agent ids; unknown ids answer with both times {@code null}
     * @return one per agent, in the given order
     */
    public List<LastSeen> lastSeen(List<String> agents) {
        if (agents.isEmpty()) {
            return List.of();
        }
        return sql.rows(LAST_SEEN, row -> new LastSeen(row.getString(1), instant(row.getObject(2, OffsetDateTime.class)),
                instant(row.getObject(3, OffsetDateTime.class))), String.join(",", agents));
    }

    // each lookup walks one agent's events newest first on event_agent_id and stops at the first match
    private static final String LAST_SEEN = """
            select a.agent,
                   (select e.occurred_at from event e where e.agent = a.agent and e.type = 'agent.heartbeat'
                     order by e.id desc limit 1),
                   (select e.occurred_at from event e where e.agent = a.agent order by e.id desc limit 1)
              from unnest(string_to_array(?, ',')) with ordinality as a(agent, position)
             order by a.position
            """;

    /** The largest id in the log, 0 when it is empty. */
    public long lastId() {
        return sql.oneRow("select coalesce(max(id), 0) from event", row -> row.getLong(1));
    }

    /**
     * The transaction ids of the transactions on this database that have written and are still running, apart
     * from the caller's own, comma-joined ({@code ""} for none). Every event id already drawn and not yet visible
     * belongs to one of them, because {@link #append} assigns the transaction id before it draws the event id.
     * Read-only transactions have no transaction id and are not listed.
     */
    public String runningWriters() {
        return sql.oneRow(RUNNING_WRITERS, row -> row.getString(1));
    }

    /** Whether any of {@code writers} (as answered by {@link #runningWriters}) is still running. */
    public boolean anyStillRunning(String writers) {
        return !writers.isEmpty() && sql.oneRow(STILL_RUNNING, row -> row.getBoolean(1), writers);
    }

    // backend_xid comes from the live process array, not from the statistics collector: a transaction that is
    // no longer listed has ended, and its commit is visible to every later snapshot
    private static final String RUNNING_WRITERS = """
            select coalesce(string_agg(backend_xid::text, ','), '') from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null
            """;

    private static final String STILL_RUNNING = """
            select exists (select from pg_stat_activity
            where datname = current_database() and backend_xid::text = any(string_to_array(?, ',')))
            """;

    private List<EventView> find(long after, long upTo, int limit, String type, String environment, String entity,
                                 String agent) {
        StringBuilder query = new StringBuilder(
                "select id, occurred_at, type, environment, entity, agent, data from event where id > ?");
        List<Object> params = new ArrayList<>(List.of(after));
        if (upTo < Long.MAX_VALUE) {
            query.append(" and id <= ?");
            params.add(upTo);
        }
        String[][] exact = {{"type", type}, {"environment", environment}, {"entity", entity}, {"agent", agent}};
        for (String[] column : exact) {
            if (column[1] != null) {
                query.append(" and ").append(column[0]).append(" = ?");
                params.add(column[1]);
            }
        }
        query.append(" order by id limit ?");
        params.add(limit);
        return sql.rows(query.toString(), this::view, params.toArray());
    }

    private EventView view(ResultSet row) throws SQLException {
        long id = row.getLong(1);
        JsonNode data;
        try {
            data = json.readTree(row.getString(7));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + id + " holds unreadable data", e);
        }
        return new EventView(id, row.getObject(2, OffsetDateTime.class).toInstant(), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), data);
    }

    /**
     * One retention batch of a capability's table (issue 29): runs {@code deleteReturningIds}, a bounded
     * {@code delete … returning id} whose parameters are {@code parameters}, and records what it removed as one
     * {@code retention.removed} event (table, count, cutoff) in the caller's transaction; no event when nothing went.
     *
     * @return rows removed
     */
    public int removedBatch(Instant now, String table, Instant cutoff, String deleteReturningIds, Object... parameters) {
        int removed = sql.rows(deleteReturningIds, r -> r.getLong(1), parameters).size();
        if (removed > 0) {
            append(now, "retention.removed", null, null, null,
                    Map.of("table", table, "count", removed, "cutoff", cutoff.toString()));
        }
        return removed;
    }
}
