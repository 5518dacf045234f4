package dev.stigmergy.mergerequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.stigmergy.time.SqlTimes.instant;

/** SQL of tables {@code merge_request} and {@code merge_request_pair}; writers bring the transaction. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
class MergeRequestRepository {

    /** A merge_request row joined with its entity's title. */
    record Row(long entityId, String environment, String key, String title, String sourceRef, String targetRef,
               String state, String author, String sourceCommit, String targetCommit, List<String> changedFiles,
               String blockedFiles, Instant updatedAt, String entityStatus) {

        MergeRequestView view() {
            return new MergeRequestView(key, "merge-request/" + key, environment, title, sourceRef, targetRef, state,
                    author, sourceCommit, targetCommit, changedFiles, updatedAt);
        }
    }

    /** A merge_request_pair row. */
    record PairRow(String keyA, String keyB, String commitA, String commitB, boolean colliding, boolean conflicts,
                   String report, Instant computedAt) {
    }

    private static final String SELECT = """
            select m.entity_id, m.environment, m.key, e.title, m.source_ref, m.target_ref, m.state, m.author,
                   m.source_commit, m.target_commit, cast(m.changed_files as text), cast(m.blocked_files as text),
                   m.updated_at, e.status
              from merge_request m join entity e on e.id = m.entity_id
            """;

    private final EntityManager em;
    private final ObjectMapper json;

    MergeRequestRepository(EntityManager em, ObjectMapper json) {
        this.em = em;
        this.json = json;
    }

    /** @return whether the row was created (false: updated) */
    boolean upsert(long entityId, String environment, String key, PutMergeRequest request, String state, String author,
                   Instant now) {
        Object created = em.createNativeQuery("""
                        insert into merge_request (entity_id, environment, key, source_ref, target_ref, state, author,
                                                   created_at, updated_at)
                        values (:id, :environment, :key, :source, :target, :state, :author, :now, :now)
                        on conflict (entity_id) do update
                           set source_ref = excluded.source_ref, target_ref = excluded.target_ref,
                               state = excluded.state, updated_at = excluded.updated_at,
                               -- other refs: read them afresh
                               source_commit = case when merge_request.source_ref = excluded.source_ref
                                                    then merge_request.source_commit end,
                               target_commit = case when merge_request.target_ref = excluded.target_ref
                                                    then merge_request.target_commit end
                        returning (xmax = 0)""")
                .setParameter("id", entityId).setParameter("environment", environment).setParameter("key", key)
                .setParameter("source", request.sourceRef()).setParameter("target", request.targetRef())
                .setParameter("state", state).setParameter("author", author).setParameter("now", now)
                .getSingleResult();
        return (Boolean) created;
    }

    Row find(String key) {
        List<Row> rows = rows(SELECT + " where m.key = :key", "key", key);
        return rows.isEmpty() ? null : rows.get(0);
    }

    List<Row> inEnvironment(String environment, boolean openOnly) {
        return rows(SELECT + " where m.environment = :environment" + (openOnly ? " and m.state = 'open'" : "")
                + " order by m.key", "environment", environment);
    }

    List<String> environmentsWithOpen() {
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery(
                "select distinct environment from merge_request where state = 'open' order by environment").getResultList();
        return names;
    }

    void moved(String key, String sourceCommit, String targetCommit, List<String> changedFiles, Instant now) {
        em.createNativeQuery("""
                        update merge_request set source_commit = :source, target_commit = :target,
                               changed_files = cast(:files as jsonb), updated_at = :now where key = :key""")
                .setParameter("source", sourceCommit).setParameter("target", targetCommit)
                .setParameter("files", write(changedFiles)).setParameter("now", now).setParameter("key", key)
                .executeUpdate();
    }

    void state(String key, String state, Instant now) {
        em.createNativeQuery("update merge_request set state = :state, updated_at = :now where key = :key")
                .setParameter("state", state).setParameter("now", now).setParameter("key", key).executeUpdate();
    }

    void blockedFiles(String key, String blocked) {
        em.createNativeQuery("update merge_request set blocked_files = cast(:blocked as jsonb) where key = :key")
                .setParameter("blocked", blocked).setParameter("key", key).executeUpdate();
    }

    PairRow pair(String keyA, String keyB) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select key_a, key_b, commit_a, commit_b, colliding, conflicts, cast(report as text), computed_at
                          from merge_request_pair where key_a = :a and key_b = :b""")
                .setParameter("a", keyA).setParameter("b", keyB).getResultList();
        return rows.isEmpty() ? null : pairRow(rows.get(0));
    }

    List<PairRow> collidingPairs(String environment) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select key_a, key_b, commit_a, commit_b, colliding, conflicts, cast(report as text), computed_at
                          from merge_request_pair where environment = :environment and colliding
                         order by key_a, key_b""")
                .setParameter("environment", environment).getResultList();
        return rows.stream().map(MergeRequestRepository::pairRow).toList();
    }

    /** Pairs involving {@code key}, removed; answers the removed rows. */
    List<PairRow> removePairsOf(String key) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        delete from merge_request_pair where key_a = :key or key_b = :key
                        returning key_a, key_b, commit_a, commit_b, colliding, conflicts, cast(report as text),
                                  computed_at""")
                .setParameter("key", key).getResultList();
        return rows.stream().map(MergeRequestRepository::pairRow).toList();
    }

    void savePair(String environment, String keyA, String keyB, String commitA, String commitB, boolean colliding,
                  boolean conflicts, String report, Instant now) {
        em.createNativeQuery("""
                        insert into merge_request_pair (environment, key_a, key_b, commit_a, commit_b, colliding,
                                                        conflicts, report, computed_at)
                        values (:environment, :a, :b, :ca, :cb, :colliding, :conflicts, cast(:report as jsonb), :now)
                        on conflict (key_a, key_b) do update
                           set commit_a = excluded.commit_a, commit_b = excluded.commit_b,
                               colliding = excluded.colliding, conflicts = excluded.conflicts,
                               report = excluded.report, computed_at = excluded.computed_at""")
                .setParameter("environment", environment).setParameter("a", keyA).setParameter("b", keyB)
                .setParameter("ca", commitA).setParameter("cb", commitB).setParameter("colliding", colliding)
                .setParameter("conflicts", conflicts).setParameter("report", report).setParameter("now", now)
                .executeUpdate();
    }

    String write(Object value) {
        try {
            return value == null ? null : json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not serialisable", e);
        }
    }

    <T> T read(String text, TypeReference<T> type) {
        try {
            return text == null ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON does not read back", e);
        }
    }

    private List<Row> rows(String sql, String name, Object value) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(sql).setParameter(name, value).getResultList();
        List<Row> out = new ArrayList<>(rows.size());
        for (Object[] r : rows) {
            out.add(new Row(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3], (String) r[4],
                    (String) r[5], (String) r[6], (String) r[7], (String) r[8], (String) r[9],
                    read((String) r[10], new TypeReference<List<String>>() { }), (String) r[11], time(r[12]),
                    (String) r[13]));
        }
        return out;
    }

    private static PairRow pairRow(Object[] r) {
        return new PairRow((String) r[0], (String) r[1], (String) r[2], (String) r[3], (Boolean) r[4], (Boolean) r[5],
                (String) r[6], time(r[7]));
    }

    private static Instant time(Object value) {
        return instant(value);
    }
}
