package dev.stigmergy.intent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.lease.RenewedLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.stigmergy.time.SqlTimes.instant;

/** SQL of the intent capability; every query is named for the question it answers. */
@ApplicationScoped
public class IntentRepository {

    /**
     * SQL fragment for another capability's read (the ready query, issue 27): whether an L4 hold of another agent
     * blocks files the entity needs, for the caller {@code :agent} at {@code :now}. Arguments: {@code %1$s} the
     * entity's id, {@code %2$s} its address {@code kind/key}. The blocking files are those a live L4 intent of an
     * agent other than the caller holds, when the intent's parent is the entity or the intent denied the entity's
     * intent (the files its {@code files_blocked} signal names, DESIGN.md §4). They block when the entity declares
     * no files of its own through another agent's live intent (then the denied declaration is what it needs), or
     * when they overlap files declared on the entity or held by the caller's own live intents. Overlap is sound, as
     * {@link PathPattern#overlaps} is: the same path, one beneath the other (a path may name a directory), or, when
     * either is a glob, literal prefixes of which one starts with the other. The {@code offset 0} keeps it a probe
     * per entity (see {@link dev.stigmergy.pheromone.PheromoneSql#PER_ROW}).
     */
    public static final String FILES_BLOCKED_FOR_CALLER = """
            exists (select 1 from intent b join intent_file bf on bf.intent_id = b.id
                     where b.status = 'ACTIVE' and b.expires_at > cast(:now as timestamptz) and bf.status = 'HELD'
                       and bf.level = 4 and b.agent <> :agent
                       and (b.entity_id = %1$s
                            or exists (select 1 from intent_blocked_entity x where x.intent_id = b.id and x.entity = %2$s))
                       and (not exists (select 1 from intent n
                                         where n.entity_id = %1$s and n.status = 'ACTIVE'
                                           and n.expires_at > cast(:now as timestamptz) and n.agent <> b.agent)
                            or exists (select 1 from intent n join intent_file nf on nf.intent_id = n.id
                                        where n.status = 'ACTIVE' and n.expires_at > cast(:now as timestamptz)
                                          and nf.status = 'HELD' and n.agent <> b.agent
                                          and (n.entity_id = %1$s or n.agent = :agent)
                                          and (nf.path = bf.path
                                               or starts_with(bf.path, rtrim(nf.path, '/') || '/')
                                               or starts_with(nf.path, rtrim(bf.path, '/') || '/')
                                               or ((nf.path ~ '[*?[]' or bf.path ~ '[*?[]')
                                                   and (starts_with(nf.prefix, bf.prefix)
                                                        or starts_with(bf.prefix, nf.prefix))))))
                    offset 0)""";


    // One statement for all of a declaration's locks: a function scan hands the rows on in the arrays' order, the
    // order the locks must be taken in (PathLocks); the casts only give both branches one type.
    private static final String LOCK_PATHS = """
            select count(case when t.exclusive then cast(pg_advisory_xact_lock(t.id) as text)
                              else cast(pg_advisory_xact_lock_shared(t.id) as text) end)
            from unnest(?::bigint[], ?::boolean[]) as t(id, exclusive)""";

    // The held files of other agents that may overlap a declaration (PrefixRanges), each read by an index probe that
    // answers only candidates: every held file of the whole ranges (one range scan each); in the directories above a
    // declared plain path, only the held globs there (intent_file_held_glob) and the held paths that are that path or
    // one of those directories (intent_file_held_path), not the other files of those directories. Then the intent of
    // each by primary key. A file met twice (two ranges, or a range and a probe) comes twice; the reader drops repeats.
    // Arrays keep the statement text fixed, so the driver prepares it on the server and PostgreSQL reuses one generic
    // plan. Each "offset 0" fences a probe into a parameterised index scan per array element: that plan must stay good
    // when it was made on empty tables (a fresh database, autovacuum off); unfenced, such a plan hashed every held glob
    // and looked intents up through the environment's index.
    private static final String HELD_FILES_THAT_MAY_OVERLAP = """
            select i.id, i.agent, i.entity, i.priority, f.path, f.level, cast(f.line_ranges as text)
            from (select f.intent_id, f.path, f.level, f.line_ranges
                    from unnest(?::text[], ?::text[]) as r(lo, hi)
                    join lateral (select f.intent_id, f.path, f.level, f.line_ranges from intent_file f
                                  where f.status = 'HELD' and f.prefix collate "C" >= r.lo and f.prefix collate "C" < r.hi
                                    and f.agent <> ? offset 0) f on true
                  union all
                  select f.intent_id, f.path, f.level, f.line_ranges
                    from unnest(?::text[]) as d(prefix)
                    join lateral (select f.intent_id, f.path, f.level, f.line_ranges from intent_file f
                                  where f.status = 'HELD' and f.path ~ '[*?[]' and f.prefix = d.prefix and f.agent <> ?
                                  offset 0) f on true
                  union all
                  select f.intent_id, f.path, f.level, f.line_ranges
                    from unnest(?::text[]) as p(path)
                    join lateral (select f.intent_id, f.path, f.level, f.line_ranges from intent_file f
                                  where f.status = 'HELD' and f.path = p.path and f.agent <> ? offset 0) f on true) f
            join lateral (select i.id, i.agent, i.entity, i.priority, i.environment, i.status, i.expires_at from intent i
                          where i.id = f.intent_id offset 0) i on true -- by key, never through another index
            where i.environment = ? and i.status = 'ACTIVE' and i.expires_at > ?
            order by i.id, f.path""";

    // a declared glob with an empty literal prefix (e.g. "**/*.py") may overlap any held file
    private static final String ALL_HELD_FILES = """
            select i.id, i.agent, i.entity, i.priority, f.path, f.level, cast(f.line_ranges as text)
            from intent_file f join intent i on i.id = f.intent_id
            where f.status = 'HELD' and f.agent <> ? and i.environment = ? and i.status = 'ACTIVE' and i.expires_at > ?
            order by i.id, f.path""";

    // answers the files as {@link #files} reads them (ordered by path in the database's collation), so that a
    // declaration need not read its new intent back
    private static final String INSERT_FILES = """
            with inserted as (
                insert into intent_file (intent_id, agent, path, prefix, level, line_ranges, status)
                select ?, ?, t.path, t.prefix, t.level, cast(t.line_ranges as jsonb), 'HELD'
                from unnest(?::text[], ?::text[], ?::int[], ?::text[]) as t(path, prefix, level, line_ranges)
                returning path, level, line_ranges, status)
            select path, level, cast(line_ranges as text), status from inserted order by path""";

    private static final String INSERT_INTENT = """
            insert into intent (environment, entity_id, entity, agent, description, priority, lease_seconds,
                                fencing_token, branch, base_commit, status, created_at, expires_at)
            values (:environment, :entityId, :entity, :agent, :description, :priority, :leaseSeconds,
                    :token, :branch, :baseCommit, 'ACTIVE', :now, :expiresAt)
            returning id, created_at, expires_at""";

    private static final String INTENT_COLUMNS = """
            select id, environment, entity, agent, description, priority, lease_seconds, fencing_token, branch,
                   base_commit, case when status = 'ACTIVE' and expires_at <= :now then 'EXPIRED' else status end,
                   created_at, expires_at, ended_at
            from intent""";

    private final EntityManager em;
    private final ObjectMapper json;

    IntentRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /**
     * Takes the advisory locks of a declaration ({@link PathLocks}) until the transaction ends, in the given order:
     * declarations that may overlap run one after the other, no check-then-create race.
     */
    void lockPaths(List<PathLocks.Lock> locks) {
        Object[] ids = locks.stream().map(PathLocks.Lock::id).toArray();
        Object[] exclusive = locks.stream().map(PathLocks.Lock::exclusive).toArray();
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement lock = connection.prepareStatement(LOCK_PATHS)) {
                lock.setArray(1, connection.createArrayOf("int8", ids));
                lock.setArray(2, connection.createArrayOf("bool", exclusive));
                lock.executeQuery().close();
            }
        });
    }

    /**
     * Other agents' held files that may overlap one of {@code declared} ({@link PrefixRanges}), ordered by intent and
     * path, each once.
     */
    List<HeldFile> heldFilesThatMayOverlap(String environment, String agent, Collection<PathPattern> declared, Instant now) {
        boolean all = PrefixRanges.coverEverything(declared);
        List<PrefixRanges.Range> ranges = all ? List.of() : PrefixRanges.of(declared);
        // a range with a plain root c is one directory above c: its held globs, and held paths c or a directory above
        List<String> lo = new ArrayList<>(), hi = new ArrayList<>();
        Set<String> globDirectories = new TreeSet<>(), paths = new TreeSet<>();
        for (PrefixRanges.Range range : ranges) {
            if (range.plainRoot() == null) {
                lo.add(range.lo());
                hi.add(range.hi());
            } else {
                globDirectories.add(range.lo());
                paths.add(range.plainRoot());
                paths.add(range.plainRoot() + "/");
                if (!range.lo().isEmpty()) {
                    paths.add(range.lo());
                    paths.add(PathPattern.withoutSlash(range.lo()));
                }
            }
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement select = connection.prepareStatement(all ? ALL_HELD_FILES : HELD_FILES_THAT_MAY_OVERLAP)) {
                int k = 1;
                if (!all) {
                    select.setArray(k++, connection.createArrayOf("text", lo.toArray()));
                    select.setArray(k++, connection.createArrayOf("text", hi.toArray()));
                    select.setString(k++, agent);
                    select.setArray(k++, connection.createArrayOf("text", globDirectories.toArray()));
                    select.setString(k++, agent);
                    select.setArray(k++, connection.createArrayOf("text", paths.toArray()));
                }
                select.setString(k++, agent);
                select.setString(k++, environment);
                select.setObject(k, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                List<HeldFile> held = new ArrayList<>();
                try (ResultSet r = select.executeQuery()) {
                    while (r.next()) {
                        long intentId = r.getLong(1);
                        String path = r.getString(5);
                        HeldFile last = held.isEmpty() ? null : held.get(held.size() - 1);
                        if (last != null && last.intentId() == intentId && last.path().equals(path)) {
                            continue; // met through two ranges
                        }
                        held.add(new HeldFile(intentId, r.getString(2), r.getString(3), r.getInt(4), path, r.getInt(6),
                                ranges(r.getString(7))));
                    }
                }
                return held;
            }
        });
    }

    /** A new intent's key and times as stored (microseconds). */
    record Inserted(long id, Instant createdAt, Instant expiresAt) {
    }

    Inserted insertIntent(String environment, long entityId, String entity, String agent, DeclareIntent request,
                          int priority, long token, Instant now, Instant expiresAt) {
        Object[] row = (Object[]) em.createNativeQuery(INSERT_INTENT)
                .setParameter("environment", environment)
                .setParameter("entityId", entityId)
                .setParameter("entity", entity)
                .setParameter("agent", agent)
                .setParameter("description", request.description())
                .setParameter("priority", priority)
                .setParameter("leaseSeconds", request.leaseSeconds())
                .setParameter("token", token)
                .setParameter("branch", request.branch())
                .setParameter("baseCommit", request.baseCommit())
                .setParameter("now", now)
                .setParameter("expiresAt", expiresAt)
                .getSingleResult();
        return new Inserted(((Number) row[0]).longValue(), instant(row[1]), instant(row[2]));
    }

    /** Inserts the held files of a new intent of {@code agent}, in one statement, and answers them by path. */
    List<IntentFileView> insertFiles(long intentId, String agent, Map<DeclaredFile, PathPattern> files) {
        int n = files.size();
        Object[] paths = new Object[n], prefixes = new Object[n], levels = new Object[n], lineRanges = new Object[n];
        int k = 0;
        for (Map.Entry<DeclaredFile, PathPattern> e : files.entrySet()) {
            DeclaredFile file = e.getKey();
            paths[k] = e.getValue().text();
            prefixes[k] = e.getValue().literalPrefix();
            levels[k] = file.level();
            lineRanges[k] = file.lineRanges() == null || file.lineRanges().isEmpty() ? null : write(file.lineRanges());
            k++;
        }
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT_FILES)) {
                insert.setLong(1, intentId);
                insert.setString(2, agent);
                insert.setArray(3, connection.createArrayOf("text", paths));
                insert.setArray(4, connection.createArrayOf("text", prefixes));
                insert.setArray(5, connection.createArrayOf("int4", levels));
                insert.setArray(6, connection.createArrayOf("text", lineRanges));
                List<IntentFileView> inserted = new ArrayList<>(n);
                try (ResultSet r = insert.executeQuery()) {
                    while (r.next()) {
                        inserted.add(new IntentFileView(r.getString(1), r.getInt(2), ranges(r.getString(3)), r.getString(4)));
                    }
                }
                return inserted;
            }
        });
    }

    /** Marks one held file of an intent with a new status; answers whether it was held. */
    boolean setFileStatus(long intentId, String path, String status) {
        return em.createNativeQuery("""
                        update intent_file set status = :status
                        where intent_id = :intentId and path = :path and status = 'HELD'""")
                .setParameter("status", status).setParameter("intentId", intentId).setParameter("path", path)
                .executeUpdate() > 0;
    }

    /** Locks an intent's row for a lifecycle change and answers its current view, or null. */
    IntentView lockAndFind(long id, Instant now) {
        List<?> ids = em.createNativeQuery("select id from intent where id = :id for update")
                .setParameter("id", id).getResultList();
        return ids.isEmpty() ? null : find(id, now);
    }

    /**
     * Locks an intent's row against ending until the transaction ends: every ending locks the row for update first
     * ({@link #lockAndFind}, {@link #expireDue}); a renewal's update of {@code expires_at} still proceeds.
     */
    void lockAgainstEnding(long id) {
        em.createNativeQuery("select id from intent where id = :id for key share").setParameter("id", id).getResultList();
    }

    IntentView find(long id, Instant now) {
        List<IntentView> found = query(" where id = :id", Map.of("id", id), now, 1);
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * Intents of an environment at {@code now}, by id, each filter {@code null} for any; see
     * {@link IntentService#list}, which checked the status.
     */
    List<IntentView> list(String environment, String agent, String entity, String status, String pathPrefix,
                          Instant now, int limit) {
        StringBuilder where = new StringBuilder(" where environment = :environment");
        Map<String, Object> params = new HashMap<>();
        params.put("environment", environment);
        if (agent != null) {
            where.append(" and agent = :agent");
            params.put("agent", agent);
        }
        if (entity != null) {
            where.append(" and entity = :entity");
            params.put("entity", entity);
        }
        if (status != null) {
            where.append(switch (status) {
                case "ACTIVE" -> " and status = 'ACTIVE' and expires_at > :now";
                case "EXPIRED" -> " and (status = 'EXPIRED' or (status = 'ACTIVE' and expires_at <= :now))";
                case "COMPLETED", "CANCELLED" -> " and status = '" + status + "'";
                default -> throw new IllegalArgumentException("status " + status);
            });
        }
        if (pathPrefix != null) {
            where.append(" and exists (select 1 from intent_file f where f.intent_id = intent.id and starts_with(f.path, :pathPrefix))");
            params.put("pathPrefix", pathPrefix);
        }
        return query(where.toString(), params, now, limit);
    }

    /** The column {@link #activeOfEach} groups by: whose intents, or on which entity. */
    enum Owner {
        AGENT("agent"), ENTITY("entity");

        private final String column;

        Owner(String column) {
            this.column = column;
        }
    }

    /**
     * The intents of {@code environment} active at {@code now} of each of {@code owners} (agent ids or entity
     * addresses, per {@code by}), at most {@code perOwner} each, the first by id as {@link #list} orders them; one
     * statement for all (and one for their files).
     */
    List<IntentView> activeOfEach(String environment, Owner by, Collection<String> owners, Instant now,
                                  int perOwner) {
        if (owners.isEmpty()) {
            return List.of();
        }
        String where = " " + """
                where id in (select id from (select id, row_number() over (partition by %1$s order by id) as nth
                                               from intent
                                              where environment = :environment and %1$s in (:owners)
                                                and status = 'ACTIVE' and expires_at > :now) ranked
                              where nth <= :per)""".formatted(by.column);
        return query(where, Map.of("environment", environment, "owners", owners, "per", perOwner), now,
                owners.size() * perOwner);
    }

    /** Intents filtered by the given column conditions (each already a SQL predicate with its parameter). */
    List<IntentView> query(String where, Map<String, Object> params, Instant now, int limit) {
        var query = em.createNativeQuery(INTENT_COLUMNS + where + " order by id limit " + limit)
                .setParameter("now", now);
        params.forEach(query::setParameter);
        List<?> rows = query.getResultList();
        Map<Long, Object[]> byId = new LinkedHashMap<>();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            byId.put(((Number) r[0]).longValue(), r);
        }
        Map<Long, List<IntentFileView>> files = files(byId.keySet());
        List<IntentView> views = new ArrayList<>(byId.size());
        for (Object[] r : byId.values()) {
            long id = ((Number) r[0]).longValue();
            views.add(new IntentView(id, (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    ((Number) r[5]).intValue(), ((Number) r[6]).intValue(), ((Number) r[7]).longValue(),
                    (String) r[8], (String) r[9], (String) r[10], instant(r[11]), instant(r[12]), instant(r[13]),
                    files.getOrDefault(id, List.of())));
        }
        return views;
    }

    private Map<Long, List<IntentFileView>> files(java.util.Collection<Long> intentIds) {
        Map<Long, List<IntentFileView>> files = new LinkedHashMap<>();
        if (intentIds.isEmpty()) {
            return files;
        }
        List<?> rows = em.createNativeQuery("""
                        select intent_id, path, level, cast(line_ranges as text), status from intent_file
                        where intent_id in (:ids) order by intent_id, path""")
                .setParameter("ids", intentIds).getResultList();
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            files.computeIfAbsent(((Number) r[0]).longValue(), k -> new ArrayList<>())
                    .add(new IntentFileView((String) r[1], ((Number) r[2]).intValue(), ranges((String) r[3]), (String) r[4]));
        }
        return files;
    }

    void extend(long id, Instant expiresAt) {
        em.createNativeQuery("update intent set expires_at = :expiresAt where id = :id")
                .setParameter("expiresAt", expiresAt).setParameter("id", id).executeUpdate();
    }

    /** Ends an intent and releases its held files. */
    void finish(long id, String status, Instant now) {
        em.createNativeQuery("update intent set status = :status, ended_at = :now where id = :id")
                .setParameter("status", status).setParameter("now", now).setParameter("id", id).executeUpdate();
        em.createNativeQuery("update intent_file set status = 'RELEASED' where intent_id = :id and status = 'HELD'")
                .setParameter("id", id).executeUpdate();
    }

    /** Expires up to {@code batch} active intents past their lease, oldest first, and answers them. */
    List<IntentView> expireDue(Instant now, int batch) {
        List<?> ids = em.createNativeQuery("""
                        update intent set status = 'EXPIRED', ended_at = expires_at
                        where id in (select id from intent where status = 'ACTIVE' and expires_at <= :now
                                     order by expires_at limit :batch for update skip locked)
                        returning id""")
                .setParameter("now", now).setParameter("batch", batch).getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("update intent_file set status = 'RELEASED' where intent_id in (:ids) and status = 'HELD'")
                .setParameter("ids", ids).executeUpdate();
        return query(" where id in (:ids)", Map.of("ids", ids), now, ids.size());
    }

    /** Ids of the agent's active intents at {@code now}, ascending (deactivating the agent cancels them). */
    List<Long> activeIdsOf(String agent, Instant now) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                        select id from intent where agent = :agent and status = 'ACTIVE' and expires_at > :now order by id""")
                .setParameter("agent", agent).setParameter("now", now).getResultList();
        return ids.stream().map(Number::longValue).toList();
    }

    /**
     * Renews every live intent of an agent by its own lease length and answers each as the heartbeat reports it, from
     * the update itself (no read of the intents and their files after it).
     */
    List<RenewedLease> renewAllOf(String agent, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        with renewed as (
                            update intent set expires_at = cast(:now as timestamptz) + make_interval(secs => lease_seconds)
                            where agent = :agent and status = 'ACTIVE' and expires_at > :now
                            returning id, entity, fencing_token, expires_at)
                        select * from renewed order by id""")
                .setParameter("agent", agent).setParameter("now", now).getResultList();
        List<RenewedLease> renewed = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            renewed.add(new RenewedLease("intent", String.valueOf(r[0]), (String) r[1], ((Number) r[2]).longValue(),
                    instant(r[3])));
        }
        return renewed;
    }

    /** Held files of active intents in an environment at or above a level, by path. */
    List<HeldFileView> heldFiles(String environment, int minLevel, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        select f.path, f.level, i.id, i.agent, i.entity, i.priority, i.expires_at,
                               cast(f.line_ranges as text)
                        from intent_file f join intent i on i.id = f.intent_id
                        where i.environment = :environment and i.status = 'ACTIVE' and i.expires_at > :now
                          and f.status = 'HELD' and f.level >= :minLevel
                        order by f.path, i.id""")
                .setParameter("environment", environment).setParameter("now", now).setParameter("minLevel", minLevel)
                .getResultList();
        List<HeldFileView> held = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            held.add(new HeldFileView((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue(),
                    (String) r[3], (String) r[4], ((Number) r[5]).intValue(), instant(r[6]), ranges((String) r[7])));
        }
        return held;
    }

    private List<LineRange> ranges(String text) {
        if (text == null) {
            return List.of();
        }
        try {
            return json.readValue(text, new TypeReference<List<LineRange>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable line ranges " + text, e);
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Live intents per agent among {@code agents} at {@code now}. */
    java.util.Map<String, Integer> liveIntentsPerAgent(List<String> agents, Instant now) {
        return dev.stigmergy.lease.LiveLeases.counted(em.createNativeQuery("""
                        select agent, count(*) from intent
                         where agent in (:agents) and status = 'ACTIVE' and expires_at > cast(:now as timestamptz)
                         group by agent""")
                .setParameter("agents", agents).setParameter("now", now).getResultList());
    }

    /** Records that the L4 intent {@code intentId} blocks {@code entity}; idempotent. */
    void markBlocked(long intentId, String entity) {
        em.createNativeQuery("insert into intent_blocked_entity (intent_id, entity) values (:id, :entity) on conflict do nothing")
                .setParameter("id", intentId).setParameter("entity", entity).executeUpdate();
    }

    /** The entities the intent {@code intentId} blocks, by address. */
    @SuppressWarnings("unchecked")
    List<String> blockedEntities(long intentId) {
        return em.createNativeQuery("select entity from intent_blocked_entity where intent_id = :id order by entity")
                .setParameter("id", intentId).getResultList();
    }
}
