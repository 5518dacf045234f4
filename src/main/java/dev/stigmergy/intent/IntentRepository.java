package dev.stigmergy.intent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SQL of the intent capability; every query is named for the question it answers. */
@ApplicationScoped
class IntentRepository {

    // the prefix predicate is appended per call: see heldFilesThatMayOverlap
    private static final String HELD_FILES_THAT_MAY_OVERLAP = """
            select i.id, i.agent, i.entity, i.priority, f.path, f.level, cast(f.line_ranges as text)
            from intent_file f join intent i on i.id = f.intent_id
            where i.environment = :environment and i.status = 'ACTIVE' and i.expires_at > :now
              and f.status = 'HELD' and i.agent <> :agent""";

    private static final String INSERT_INTENT = """
            insert into intent (environment, entity_id, entity, agent, description, priority, lease_seconds,
                                fencing_token, branch, base_commit, status, created_at, expires_at)
            values (:environment, :entityId, :entity, :agent, :description, :priority, :leaseSeconds,
                    :token, :branch, :baseCommit, 'ACTIVE', :now, :expiresAt)
            returning id""";

    private static final String INSERT_FILE = """
            insert into intent_file (intent_id, path, prefix, level, line_ranges, status)
            values (:intentId, :path, :prefix, :level, cast(:lineRanges as jsonb), 'HELD')""";

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

    /** Serialises declarations per environment until the transaction ends: no check-then-create race. */
    void lockEnvironment(String environment) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended('intent:' || :environment, 0))")
                .setParameter("environment", environment).getSingleResult();
    }

    /**
     * Other agents' held files whose literal prefix is an ancestor of, or inside, one of {@code prefixes}:
     * only those can overlap (two patterns overlap only when one's literal prefix starts with the other's).
     */
    List<HeldFile> heldFilesThatMayOverlap(String environment, String agent, List<String> prefixes, Instant now) {
        StringBuilder sql = new StringBuilder(HELD_FILES_THAT_MAY_OVERLAP);
        Map<String, Object> params = new LinkedHashMap<>();
        if (!prefixes.contains("")) {
            java.util.Set<String> ancestors = new java.util.TreeSet<>();
            List<String> ranges = new ArrayList<>();
            for (String prefix : prefixes) {
                for (int slash = prefix.indexOf('/'); slash >= 0; slash = prefix.indexOf('/', slash + 1)) {
                    ancestors.add(prefix.substring(0, slash + 1));
                }
                ancestors.add("");
                int k = ranges.size();
                // inside "a/b/": ['a/b/', 'a/b0'), '0' being the character after '/'
                ranges.add("(f.prefix collate \"C\" >= :lo" + k + " and f.prefix collate \"C\" < :hi" + k + ")");
                params.put("lo" + k, prefix);
                params.put("hi" + k, prefix.substring(0, prefix.length() - 1) + "0");
            }
            sql.append(" and (f.prefix collate \"C\" in (:ancestors) or ").append(String.join(" or ", ranges)).append(')');
            params.put("ancestors", ancestors);
        }
        var query = em.createNativeQuery(sql.append(" order by i.id, f.path").toString())
                .setParameter("environment", environment)
                .setParameter("now", now)
                .setParameter("agent", agent);
        params.forEach(query::setParameter);
        List<?> rows = query.getResultList();
        List<HeldFile> held = new ArrayList<>(rows.size());
        for (Object row : rows) {
            Object[] r = (Object[]) row;
            held.add(new HeldFile(((Number) r[0]).longValue(), (String) r[1], (String) r[2], ((Number) r[3]).intValue(),
                    (String) r[4], ((Number) r[5]).intValue(), ranges((String) r[6])));
        }
        return held;
    }

    long insertIntent(String environment, long entityId, String entity, String agent, DeclareIntent request,
                      int priority, long token, Instant now, Instant expiresAt) {
        return ((Number) em.createNativeQuery(INSERT_INTENT)
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
                .getSingleResult()).longValue();
    }

    void insertFile(long intentId, DeclaredFile file, PathPattern pattern) {
        em.createNativeQuery(INSERT_FILE)
                .setParameter("intentId", intentId)
                .setParameter("path", pattern.text())
                .setParameter("prefix", pattern.literalPrefix())
                .setParameter("level", file.level())
                .setParameter("lineRanges", file.lineRanges() == null || file.lineRanges().isEmpty()
                        ? null : write(file.lineRanges()))
                .executeUpdate();
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

    IntentView find(long id, Instant now) {
        List<IntentView> found = query(" where id = :id", Map.of("id", id), now, 1);
        return found.isEmpty() ? null : found.get(0);
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

    /** Renews every live intent of an agent by its own lease length and answers them. */
    List<IntentView> renewAllOf(String agent, Instant now) {
        List<?> ids = em.createNativeQuery("""
                        update intent set expires_at = cast(:now as timestamptz) + make_interval(secs => lease_seconds)
                        where agent = :agent and status = 'ACTIVE' and expires_at > :now
                        returning id""")
                .setParameter("agent", agent).setParameter("now", now).getResultList();
        return ids.isEmpty() ? List.of() : query(" where id in (:ids)", Map.of("ids", ids), now, ids.size());
    }

    /** Held files of active intents in an environment at or above a level, by path. */
    List<HeldFileView> heldFiles(String environment, int minLevel, Instant now) {
        List<?> rows = em.createNativeQuery("""
                        select f.path, f.level, i.id, i.agent, i.entity, i.priority, i.expires_at
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
                    (String) r[3], (String) r[4], ((Number) r[5]).intValue(), instant(r[6])));
        }
        return held;
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
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
}
