package dev.stigmergy.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
    private static final String INSERT = """
            with tx as materialized (select pg_current_xact_id())
            insert into event (occurred_at, type, environment, entity, agent, data)
            select ?, ?, ?, ?, ?, cast(? as jsonb) from tx
            returning id""";

    /** Key of the transaction's resource holding the highest event id it appended. */
    private static final Object LAST_APPENDED = new Object();

    private final EntityManager em;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final EventNotifier notifier;
    private final AgroalDataSource dataSource;

    public EventLog(EntityManager em, ObjectMapper json, TransactionSynchronizationRegistry transactions,
                    EventNotifier notifier, AgroalDataSource dataSource) {
        this.em = em;
        this.json = json;
        this.transactions = transactions;
        this.notifier = notifier;
        this.dataSource = dataSource;
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
        // plain JDBC on the transaction's connection: the log is append-only, so Hibernate's identity map,
        // flush and a separate nextval would only cost time on every write path (benchmarks P1, P2, P7)
        long id = em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.setString(2, type);
                insert.setString(3, environment);
                insert.setString(4, entity);
                insert.setString(5, agent);
                insert.setString(6, serialised);
                try (ResultSet inserted = insert.executeQuery()) {
                    inserted.next();
                    return inserted.getLong(1);
                }
            }
        });
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
     * {@link #append}. That statement must modify a row before the insert draws the event id, so the
     * transaction has its xid first (see {@code INSERT}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appended(long id) {
        announceAtCommit(id);
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
    @Transactional(Transactional.TxType.SUPPORTS)
    public EventPage read(long after, int limit, String type, String environment, String entity, String agent) {
        List<EventView> views = find(after, Long.MAX_VALUE, limit, type, environment, entity, agent);
        long next = views.isEmpty() ? after : views.get(views.size() - 1).id();
        return new EventPage(views, next);
    }

    /**
     * Reads the log for a stream, in id order, in a transaction of its own (callable from any thread).
     *
     * @param after exclusive lower bound on the id
     * @param upTo  inclusive upper bound on the id
     * @param limit most events answered
     * @param environment exact environment, or {@code null} for any; likewise {@code entity}, {@code agent}
     */
    @Transactional
    public List<EventView> readRange(long after, long upTo, int limit, String environment, String entity, String agent) {
        return find(after, upTo, limit, null, environment, entity, agent);
    }

    /**
     * The ids after {@code after}, ascending, at most {@code limit}. Plain JDBC in autocommit: the stream reader
     * calls it after every notification while no stream is open, and a transaction and a query through
     * Hibernate cost it a tenth of the service's CPU under write load (benchmark P1).
     *
     * @throws IllegalStateException the database cannot be read (the reader retries)
     */
    public List<Long> readIds(long after, int limit) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement read = connection.prepareStatement("select id from event where id > ? order by id limit ?")) {
            read.setLong(1, after);
            read.setInt(2, limit);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read event ids: " + e.getMessage(), e);
        }
    }

    /**
     * When each agent was last seen: its latest heartbeat and its latest event. Agent ids never contain a
     * comma ({@code agent.Ids}), so the list travels as one comma-joined parameter.
     *
     * @param agents agent ids; unknown ids answer with both times {@code null}
     * @return one per agent, in the given order
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<LastSeen> lastSeen(List<String> agents) {
        if (agents.isEmpty()) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Event.getEntityManager().createNativeQuery(LAST_SEEN)
                .setParameter("agents", String.join(",", agents))
                .getResultList();
        List<LastSeen> seen = new ArrayList<>(rows.size());
        for (Object[] row : rows) {
            seen.add(new LastSeen((String) row[0], instant(row[1]), instant(row[2])));
        }
        return seen;
    }

    // each lookup walks one agent's events newest first on event_agent_id and stops at the first match
    private static final String LAST_SEEN = """
            select a.agent,
                   (select e.occurred_at from event e where e.agent = a.agent and e.type = 'agent.heartbeat'
                     order by e.id desc limit 1),
                   (select e.occurred_at from event e where e.agent = a.agent order by e.id desc limit 1)
              from unnest(string_to_array(:agents, ',')) with ordinality as a(agent, position)
             order by a.position
            """;

    /** The largest id in the log, 0 when it is empty. */
    @Transactional
    public long lastId() {
        Long last = Event.getEntityManager().createQuery("select max(e.id) from Event e", Long.class).getSingleResult();
        return last == null ? 0 : last;
    }

    /**
     * The transaction ids of the transactions on this database that have written and are still running, apart
     * from the caller's own, comma-joined ({@code ""} for none). Every event id already drawn and not yet visible
     * belongs to one of them, because {@link #append} assigns the transaction id before it draws the event id.
     * Read-only transactions have no transaction id and are not listed.
     */
    @Transactional
    public String runningWriters() {
        return (String) Event.getEntityManager().createNativeQuery(RUNNING_WRITERS).getSingleResult();
    }

    /** Whether any of {@code writers} (as answered by {@link #runningWriters}) is still running. */
    @Transactional
    public boolean anyStillRunning(String writers) {
        if (writers.isEmpty()) {
            return false;
        }
        Object running = Event.getEntityManager().createNativeQuery(STILL_RUNNING)
                .setParameter("writers", writers).getSingleResult();
        return ((Number) running).longValue() > 0;
    }

    // backend_xid comes from the live process array, not from the statistics collector: a transaction that is
    // no longer listed has ended, and its commit is visible to every later snapshot
    private static final String RUNNING_WRITERS = """
            select coalesce(string_agg(backend_xid::text, ','), '') from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null
            """;

    private static final String STILL_RUNNING = """
            select count(*) from pg_stat_activity
            where datname = current_database() and backend_xid::text = any(string_to_array(:writers, ','))
            """;

    private List<EventView> find(long after, long upTo, int limit, String type, String environment, String entity,
                                 String agent) {
        StringBuilder where = new StringBuilder("id > :after");
        Parameters params = Parameters.with("after", after);
        if (upTo < Long.MAX_VALUE) {
            where.append(" and id <= :upTo");
            params.and("upTo", upTo);
        }
        if (type != null) {
            where.append(" and type = :type");
            params.and("type", type);
        }
        if (environment != null) {
            where.append(" and environment = :environment");
            params.and("environment", environment);
        }
        if (entity != null) {
            where.append(" and entity = :entity");
            params.and("entity", entity);
        }
        if (agent != null) {
            where.append(" and agent = :agent");
            params.and("agent", agent);
        }
        List<Event> rows = Event.<Event>find(where + " order by id", params).page(0, limit).list();
        List<EventView> views = new ArrayList<>(rows.size());
        for (Event row : rows) {
            views.add(view(row));
        }
        return views;
    }

    private EventView view(Event row) {
        JsonNode data;
        try {
            data = json.readTree(row.data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + row.id + " holds unreadable data", e);
        }
        return new EventView(row.id, row.occurredAt, row.type, row.environment, row.entity, row.agent, data);
    }
}
