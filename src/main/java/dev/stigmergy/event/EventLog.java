package dev.stigmergy.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The append-only event log (DESIGN.md §1 "event", §5). {@link #append} must run inside the transaction
 * of the change it records, so an event exists exactly when its change committed.
 */
@ApplicationScoped
public class EventLog {

    // the id comes from the column's default, in the insert itself: one round trip per event, not two
    private static final String INSERT = """
            insert into event (occurred_at, type, environment, entity, agent, data)
            values (?, ?, ?, ?, ?, cast(? as jsonb))
            returning id""";

    private final EntityManager em;
    private final ObjectMapper json;

    public EventLog(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
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
        String serialised;
        try {
            serialised = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event data is not serialisable", e);
        }
        // plain JDBC on the transaction's connection: the log is append-only, so Hibernate's identity map,
        // flush and a separate nextval would only cost time on every write path (benchmarks P1, P2, P7)
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.setString(2, type);
                insert.setString(3, environment);
                insert.setString(4, entity);
                insert.setString(5, agent);
                insert.setString(6, serialised);
                try (ResultSet id = insert.executeQuery()) {
                    id.next();
                    return id.getLong(1);
                }
            }
        });
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

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof java.time.OffsetDateTime t ? t.toInstant() : (Instant) value;
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

    /** The database server's clock now ({@code clock_timestamp()}), for comparisons with its own times. */
    @Transactional
    public Instant databaseNow() {
        return ((java.time.OffsetDateTime) Event.getEntityManager()
                .createNativeQuery("select clock_timestamp()", java.time.OffsetDateTime.class).getSingleResult()).toInstant();
    }

    /**
     * Whether every transaction on this database that started at or before {@code instant} (server clock) has
     * ended, apart from the caller's own. An event id missing from the log when {@code instant} was taken,
     * below an id that was visible, was drawn by such a transaction; once they have all ended, the id is
     * either visible or rolled back. Sessions of other database roles may hide their start time and are not
     * seen.
     */
    @Transactional
    public boolean transactionsEndedSince(Instant instant) {
        Object open = Event.getEntityManager().createNativeQuery(OPEN_TRANSACTIONS_STARTED_BEFORE)
                .setParameter("instant", java.time.OffsetDateTime.ofInstant(instant, java.time.ZoneOffset.UTC))
                .getSingleResult();
        return ((Number) open).longValue() == 0;
    }

    private static final String OPEN_TRANSACTIONS_STARTED_BEFORE = """
            select count(*) from pg_stat_activity
            where datname = current_database() and pid <> pg_backend_pid()
              and xact_start is not null and xact_start <= :instant
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
