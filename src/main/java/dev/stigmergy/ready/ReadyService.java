package dev.stigmergy.ready;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.dependency.DependencyService;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.intent.IntentRepository;
import dev.stigmergy.lock.LockRepository;
import dev.stigmergy.pheromone.PheromoneSensing;
import dev.stigmergy.pheromone.PheromoneSql;
import dev.stigmergy.pheromone.RoleSliceService;
import dev.stigmergy.pheromone.RoleSliceView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * The ready query (DESIGN.md §7 "Ready work", issue 27). An entity of the environment is ready for the caller when
 * <ul>
 *   <li>no other agent holds a live lock on it (the caller's own lock does not count),</li>
 *   <li>it is not done (no visible {@code completion.*} pheromone),</li>
 *   <li>every entity it depends on is done,</li>
 *   <li>no {@code task_not_ready} pheromone on it is visible,</li>
 *   <li>no live L4 hold of another agent blocks files it needs
 *       ({@link IntentRepository#FILES_BLOCKED_FOR_CALLER}),</li>
 *   <li>its summed current {@code saturation} is under {@link ReadyConfig#saturatedIntensity()},</li>
 *   <li>and it lies in the acting role's slice: the slice's environment and entity kinds, if it names any.</li>
 * </ul>
 * Ready entities rank by summed current {@code importance} (only when the role reads that type), then age (oldest
 * first), then id. Entities with importance are read in the ranking aggregate's bound order and the read stops once
 * no unread bound can reach the page's last importance (the threshold algorithm of the pheromone ranking); the
 * others are read in creation order through an index. Importance is computed at the page walk's first instant
 * (carried in the cursor), so decay cannot reorder a walk; eligibility is judged at each call's own instant.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class ReadyService {

    private static final String IMPORTANCE = "importance";
    private static final double SLACK = 1e-6;
    private static final int FIRST_BATCH_MIN = 16;
    private static final int BATCH_MAX = 4096;

    /** Importance of entity e at :asOf (the walk's instant), through the one decay expression. */
    private static final String IMPORTANCE_AT_AS_OF = PheromoneSql.currentTotal("e.id", PheromoneSql.typeIs(IMPORTANCE))
            .replace(":now", ":asOf");

    /** Whether entity e is ready for :agent at :now, every rule but the role slice (applied to the query's filters). */
    private static final String ELIGIBLE = "coalesce(" + LockRepository.LIVE_HOLDER.formatted("e.id") + ", :agent) = :agent"
            + " and not " + DependencyService.done("e.id")
            + " and not " + DependencyService.unfinished("e.id")
            + " and not " + PheromoneSql.anyVisible("e.id", PheromoneSql.typeIs("task_not_ready"))
            + " and " + PheromoneSql.currentTotal("e.id", PheromoneSql.typeIs("saturation")) + " < :saturated"
            + " and not " + IntentRepository.FILES_BLOCKED_FOR_CALLER.formatted("e.id", "(e.kind || '/' || e.key)");

    private static final String HELD_BY_CALLER = "coalesce(" + LockRepository.LIVE_HOLDER.formatted("e.id") + " = :agent, false)";

    /** Candidates with importance, in bound order after (:afterKey, :afterId); %s: kinds filter, cursor test. */
    private static final String WITH_IMPORTANCE = """
            select e.id, a.bound_key, e.kind, e.key, e.title, e.status, e.created_at, s.importance,
                   case when s.importance > 0 and %2$s then (%3$s) else false end as eligible, %4$s as held
              from pheromone_aggregate a join entity e on e.id = a.entity_id
             cross join lateral (select %5$s as importance) s
             where a.type = 'importance' and a.environment = :env %1$s
               and (a.bound_key, a.entity_id) < (:afterKey, :afterId)
             order by a.bound_key desc, a.entity_id desc
             limit :batch""";

    /** Ready entities without importance, oldest first; %s: kinds filter, cursor test, importance test. */
    private static final String WITHOUT_IMPORTANCE = """
            select e.id, e.kind, e.key, e.title, e.status, e.created_at, %4$s as held
              from entity e
             where e.environment = :env %1$s %2$s %3$s and %5$s
             order by e.created_at, e.id
             limit :remaining""";

    private final EntityManager em;
    private final EnvironmentService environments;
    private final RoleSliceService slices;
    private final PheromoneSensing pheromones;
    private final ReadyConfig config;
    private final Clock clock;

    public ReadyService(EntityManager em, EnvironmentService environments, RoleSliceService slices,
                        PheromoneSensing pheromones, ReadyConfig config, Clock clock) {
        this.em = em;
        this.environments = environments;
        this.slices = slices;
        this.pheromones = pheromones;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One page of the entities of {@code environment} the caller could take now, best first.
     *
     * @param kinds only these entity kinds; empty for all (narrowed further by the acting role's slice)
     * @param after {@code nextAfter} of the previous page, or {@code null} for the first
     * @param limit page size, 1–100
     * @throws NotFoundException     the environment does not exist (404)
     * @throws InvalidInputException {@code after} is not a cursor of this query (400)
     */
    public ReadyPage ready(String environment, List<String> kinds, String after, int limit, Caller caller) {
        Instant now = clock.instant();
        environments.get(environment);
        ReadyCursor cursor = after == null ? null : ReadyCursor.decode(after);
        Instant asOf = cursor == null ? now : cursor.at();
        String role = caller.actingRole();
        RoleSliceView.LocalQuery local = slices.actingSlice(caller).localQuery();
        List<String> effectiveKinds = new ArrayList<>(kinds);
        if (!local.entityKinds().isEmpty()) {
            effectiveKinds = kinds.isEmpty() ? new ArrayList<>(local.entityKinds())
                    : kinds.stream().filter(local.entityKinds()::contains).toList();
            if (effectiveKinds.isEmpty()) {
                return new ReadyPage(environment, role, asOf, List.of(), null); // no kind asked for is in the slice
            }
        }
        if (local.environment() != null && !local.environment().equals(environment)) {
            return new ReadyPage(environment, role, asOf, List.of(), null); // outside the slice's environment
        }
        boolean ranksByImportance = pheromones.canRead(role, IMPORTANCE);
        Params params = new Params(environment, effectiveKinds, caller.agentId(), now, asOf, config.saturatedIntensity());

        List<Found> found = new ArrayList<>();
        if (ranksByImportance && (cursor == null || cursor.importance() > 0)) {
            found.addAll(withImportance(params, cursor, limit));
        }
        if (found.size() < limit) {
            ReadyCursor fromZero = cursor != null && cursor.importance() == 0 ? cursor : null;
            found.addAll(withoutImportance(params, fromZero, limit - found.size(), ranksByImportance));
        }
        String nextAfter = null;
        if (found.size() == limit) {
            Found last = found.get(found.size() - 1);
            nextAfter = new ReadyCursor(asOf, last.importance(), last.createdAt(), last.id()).encode();
        }
        return new ReadyPage(environment, role, asOf, found.stream().map(f -> view(f, ranksByImportance)).toList(),
                nextAfter);
    }

    private record Params(String environment, List<String> kinds, String agent, Instant now, Instant asOf,
                          double saturated) {
        String kindsFilter(String column) {
            return kinds.isEmpty() ? "" : " and " + column + " in (:kinds)";
        }
    }

    private record Found(long id, String kind, String key, String title, String status, Instant createdAt,
                         double importance, boolean held) {
        static final Comparator<Found> ORDER = Comparator.comparingDouble(Found::importance).reversed()
                .thenComparing(Found::createdAt).thenComparingLong(Found::id);
    }

    private List<Found> withImportance(Params params, ReadyCursor cursor, int limit) {
        DoubleUnaryOperator bound = pheromones.rankingBound(IMPORTANCE, params.asOf());
        String sql = WITH_IMPORTANCE.formatted(params.kindsFilter("a.entity_kind"),
                cursor == null ? "true" : "(s.importance < :cImp or (s.importance = :cImp and (e.created_at, e.id) > (:cCreated, :cId)))",
                ELIGIBLE, HELD_BY_CALLER, IMPORTANCE_AT_AS_OF);
        List<Found> found = new ArrayList<>();
        double afterKey = Double.MAX_VALUE;
        long afterId = Long.MAX_VALUE;
        // twice the page: some candidates are locked, done or waiting, and a second round trip costs more than them
        int batch = Math.max(FIRST_BATCH_MIN, 2 * limit + 1);
        while (true) {
            Query q = bind(em.createNativeQuery(sql), sql, params, cursor)
                    .setParameter("afterKey", afterKey).setParameter("afterId", afterId).setParameter("batch", batch);
            List<?> rows = q.getResultList();
            for (Object o : rows) {
                Object[] r = (Object[]) o;
                afterId = ((Number) r[0]).longValue();
                afterKey = ((Number) r[1]).doubleValue();
                if ((Boolean) r[8]) {
                    found.add(new Found(afterId, (String) r[2], (String) r[3], (String) r[4], (String) r[5],
                            instant(r[6]), ((Number) r[7]).doubleValue(), (Boolean) r[9]));
                }
            }
            found.sort(Found.ORDER);
            if (rows.size() < batch) {
                break; // every candidate read
            }
            // unread pairs have keys ≤ the last read: its bound bounds them all; strictly below, since an unread
            // entity tying the last importance could still come first by age
            if (found.size() >= limit && bound.applyAsDouble(afterKey) * (1 + SLACK) < found.get(limit - 1).importance()) {
                break;
            }
            batch = Math.min(batch * 2, BATCH_MAX);
        }
        return found.stream().limit(limit).toList();
    }

    private List<Found> withoutImportance(Params params, ReadyCursor cursor, int remaining, boolean ranksByImportance) {
        String sql = WITHOUT_IMPORTANCE.formatted(params.kindsFilter("e.kind"),
                cursor == null ? "" : " and (e.created_at, e.id) > (:cCreated, :cId)",
                ranksByImportance ? " and not " + IMPORTANCE_AT_AS_OF + " > 0" : "", HELD_BY_CALLER, ELIGIBLE);
        List<?> rows = bind(em.createNativeQuery(sql), sql, params, cursor).setParameter("remaining", remaining)
                .getResultList();
        List<Found> out = new ArrayList<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.add(new Found(((Number) r[0]).longValue(), (String) r[1], (String) r[2], (String) r[3],
                    (String) r[4], instant(r[5]), 0, (Boolean) r[6]));
        }
        return out;
    }

    private static Query bind(Query q, String sql, Params params, ReadyCursor cursor) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("env", params.environment());
        values.put("agent", params.agent());
        values.put("now", params.now());
        values.put("asOf", params.asOf());
        values.put("saturated", params.saturated());
        if (!params.kinds().isEmpty()) {
            values.put("kinds", params.kinds());
        }
        if (cursor != null) {
            values.put("cImp", cursor.importance());
            values.put("cCreated", cursor.createdAt());
            values.put("cId", cursor.id());
        }
        values.forEach((name, value) -> {
            if (sql.contains(":" + name)) {
                q.setParameter(name, value);
            }
        });
        return q;
    }

    private static ReadyEntity view(Found f, boolean ranksByImportance) {
        String reason;
        if (f.importance() > 0) {
            reason = "importance " + f.importance() + " (current, decayed); equal importance goes oldest first; created "
                    + f.createdAt();
        } else if (ranksByImportance) {
            reason = "no importance; after every ready entity with importance, oldest first; created " + f.createdAt();
        } else {
            reason = "the acting role does not read importance; oldest first; created " + f.createdAt();
        }
        return new ReadyEntity(f.kind() + "/" + f.key(), f.kind(), f.key(), f.title(), f.status(), f.createdAt(),
                f.importance(), f.held(), reason);
    }
}
