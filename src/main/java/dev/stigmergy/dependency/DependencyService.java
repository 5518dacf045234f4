package dev.stigmergy.dependency;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.pheromone.CompletionSignalled;
import dev.stigmergy.pheromone.PheromoneSql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.stigmergy.time.SqlTimes.instant;

/**
 * {@code depends-on} links between entities of one environment (issue 27). An entity is done when it carries a
 * visible {@code completion.*} pheromone; it is ready as far as dependencies go when every entity it depends on is
 * done. Links are added and removed under a per-environment transaction lock, so two concurrent additions cannot
 * close a cycle between them; a link that would close one is refused with the cycle named.
 */
@ApplicationScoped
@Transactional
public class DependencyService {


    /**
     * SQL fragment for the ready query: whether the entity whose id is the SQL expression {@code entityId} has a
     * dependency that is not done at the named parameter {@code :now} ({@link #done}).
     */
    public static String unfinished(String entityId) {
        return "exists (select 1 from entity_dependency d where d.entity_id = " + entityId + " and not "
                + done("d.depends_on_id") + PheromoneSql.PER_ROW + ")";
    }

    /**
     * SQL fragment: whether the entity whose id is the SQL expression {@code entityId} is done at {@code :now}, that
     * is, a pheromone of a {@code completion.*} type on it is visible.
     */
    public static String done(String entityId) {
        return PheromoneSql.anyVisible(entityId, PheromoneSql.familyIs("completion"));
    }

    private static final String EVENT_ADDED = "dependency.added";
    private static final String EVENT_REMOVED = "dependency.removed";
    /** A dependant whose last unfinished dependency was finished or unlinked. */
    private static final String EVENT_READY = "entity.ready";

    private final EntityManager em;
    private final EntityService entities;
    private final EventLog events;
    private final Clock clock;

    public DependencyService(EntityManager em, EntityService entities, EventLog events, Clock clock) {
        this.em = em;
        this.entities = entities;
        this.events = events;
        this.clock = clock;
    }

    /** Outcome of {@link #add}: the link, and whether this call created it (false: it existed). */
    public record Added(DependencyLink link, boolean created) {
    }

    /**
     * Makes {@code kind/key} depend on {@code request.dependsOn()}; idempotent. Recorded as {@code dependency.added}.
     *
     * @throws NotFoundException         either entity does not exist (404)
     * @throws InvalidInputException     an entity would depend on itself, or the two are in different environments (400)
     * @throws DependencyCycleException  the link would close a cycle; the problem names it (409)
     */
    public Added add(String kind, String key, AddDependency request, Caller caller) {
        Instant now = clock.instant();
        EntityRef entity = entities.require(kind, key, caller);
        EntityRef target = resolve(request.dependsOn());
        if (entity.id() == target.id()) {
            throw new InvalidInputException(entity.address() + " cannot depend on itself");
        }
        if (!entity.environment().equals(target.environment())) {
            throw new InvalidInputException(entity.address() + " is in environment '" + entity.environment() + "' and "
                    + target.address() + " in '" + target.environment() + "'; links stay within one environment");
        }
        lockEnvironment(entity.environment());
        List<?> existing = em.createNativeQuery("""
                        select created_at, created_by from entity_dependency where entity_id = :e and depends_on_id = :d""")
                .setParameter("e", entity.id()).setParameter("d", target.id()).getResultList();
        if (!existing.isEmpty()) {
            Object[] row = (Object[]) existing.get(0);
            return new Added(new DependencyLink(entity.address(), target.address(), entity.environment(),
                    instant(row[0]), (String) row[1]), false);
        }
        List<String> cycle = pathBetween(target, entity);
        if (!cycle.isEmpty()) {
            List<String> named = new ArrayList<>();
            named.add(entity.address());
            named.addAll(cycle);
            throw new DependencyCycleException(named);
        }
        em.createNativeQuery("""
                        insert into entity_dependency (entity_id, depends_on_id, environment, entity, depends_on, created_at, created_by)
                        values (:e, :d, :env, :entity, :dependsOn, :now, :by)""")
                .setParameter("e", entity.id()).setParameter("d", target.id()).setParameter("env", entity.environment())
                .setParameter("entity", entity.address()).setParameter("dependsOn", target.address())
                .setParameter("now", now).setParameter("by", caller.agentId()).executeUpdate();
        events.append(now, EVENT_ADDED, entity.environment(), entity.address(), caller.agentId(),
                Map.of("dependsOn", target.address()));
        return new Added(new DependencyLink(entity.address(), target.address(), entity.environment(), now,
                caller.agentId()), true);
    }

    /**
     * Removes the link {@code kind/key} depends-on {@code dependsOn}. Recorded as {@code dependency.removed}, and as
     * {@code entity.ready} when it was the entity's last unfinished dependency and the entity is not done itself.
     *
     * @throws NotFoundException either entity, or the link, does not exist (404)
     */
    public void remove(String kind, String key, String dependsOn, Caller caller) {
        Instant now = clock.instant();
        EntityRef entity = entities.require(kind, key, caller);
        EntityRef target = resolve(dependsOn);
        caller.requireEnvironment(target.environment()); // the other end must be reachable too
        lockEnvironment(entity.environment());
        int removed = em.createNativeQuery("delete from entity_dependency where entity_id = :e and depends_on_id = :d")
                .setParameter("e", entity.id()).setParameter("d", target.id()).executeUpdate();
        if (removed == 0) {
            throw new NotFoundException("dependency", entity.address() + " -> " + target.address());
        }
        events.append(now, EVENT_REMOVED, entity.environment(), entity.address(), caller.agentId(),
                Map.of("dependsOn", target.address()));
        boolean targetDone = done(target.id(), now);
        if (!targetDone && readyByDependencies(List.of(entity.id()), now).contains(entity.address())) {
            events.append(now, EVENT_READY, entity.environment(), entity.address(), caller.agentId(),
                    Map.of("reason", "dependency on " + target.address() + " removed; every remaining dependency is done"));
        }
    }

    /**
     * The links of {@code kind/key} in both directions, with whether each end is done now.
     *
     * @throws NotFoundException the entity does not exist (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public DependencyView links(String kind, String key) {
        Instant now = clock.instant();
        EntityRef entity = entities.require(kind, key);
        List<LinkedEntity> dependsOn = linked("""
                select d.depends_on, %s, d.created_at, d.created_by from entity_dependency d
                 where d.entity_id = :id order by d.depends_on""".formatted(doneSql("d.depends_on_id")), entity.id(), now);
        List<LinkedEntity> dependants = linked("""
                select d.entity, %s, d.created_at, d.created_by from entity_dependency d
                 where d.depends_on_id = :id order by d.entity""".formatted(doneSql("d.entity_id")), entity.id(), now);
        return new DependencyView(entity.address(), entity.environment(), done(entity.id(), now),
                dependsOn.stream().allMatch(LinkedEntity::done), dependsOn, dependants, now);
    }

    /**
     * Appends {@code entity.ready} for each dependant of the newly finished entity that is not done itself and whose
     * every dependency is now done. Runs in the deposit's transaction when it had one, else in its own.
     */
    void onCompletion(@Observes CompletionSignalled done) {
        QuarkusTransaction.joiningExisting().run(() -> {
            @SuppressWarnings("unchecked")
            List<Number> dependants = em.createNativeQuery("select entity_id from entity_dependency where depends_on_id = :id")
                    .setParameter("id", done.entity().id()).getResultList();
            if (dependants.isEmpty()) {
                return;
            }
            List<Long> ids = dependants.stream().map(Number::longValue).toList();
            for (String ready : readyByDependencies(ids, done.at())) {
                events.append(done.at(), EVENT_READY, done.entity().environment(), ready, done.agent(),
                        Map.of("reason", "finished " + done.entity().address() + " (" + done.type()
                                + "); every dependency is done", "finished", done.entity().address()));
            }
        });
    }

    // --- internals -------------------------------------------------------------------------------------

    private static String doneSql(String entityId) {
        return done(entityId);
    }

    private boolean done(long entityId, Instant now) {
        return (Boolean) em.createNativeQuery("select " + doneSql(":id")).setParameter("id", entityId)
                .setParameter("now", now).getSingleResult();
    }

    /** Of the given entities, the addresses of those not done whose every dependency is done, by address. */
    private List<String> readyByDependencies(List<Long> ids, Instant now) {
        @SuppressWarnings("unchecked")
        List<String> ready = em.createNativeQuery("select e.kind || '/' || e.key from entity e where e.id in (:ids) and not "
                        + doneSql("e.id") + " and not " + unfinished("e.id") + " order by 1")
                .setParameter("ids", ids).setParameter("now", now).getResultList();
        return ready;
    }

    /** The addresses on a depends-on path from {@code from} to {@code to}, both included; empty when none. */
    private List<String> pathBetween(EntityRef from, EntityRef to) {
        List<?> rows = em.createNativeQuery("""
                        with recursive walk(id, path) as (
                            select cast(:from as bigint), array[cast(:from as bigint)]
                            union all
                            select d.depends_on_id, w.path || d.depends_on_id
                              from walk w join entity_dependency d on d.entity_id = w.id
                             where w.id <> :to and not d.depends_on_id = any(w.path))
                        select array(select e.kind || '/' || e.key from unnest(w.path) with ordinality u(id, n)
                                       join entity e on e.id = u.id order by u.n)
                          from walk w where w.id = :to limit 1""")
                .setParameter("from", from.id()).setParameter("to", to.id()).getResultList();
        return rows.isEmpty() ? List.of() : Arrays.asList((String[]) rows.get(0));
    }

    // additions and removals of one environment take turns, so no two concurrent additions close a cycle together
    private void lockEnvironment(String environment) {
        em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended('dependency:' || :environment, 0))")
                .setParameter("environment", environment).getSingleResult();
    }

    private EntityRef resolve(String address) {
        int slash = address == null ? -1 : address.indexOf('/');
        if (slash < 1 || slash == address.length() - 1) {
            throw new InvalidInputException("dependsOn must be an entity address kind/key; got " + address);
        }
        return entities.require(address.substring(0, slash), address.substring(slash + 1));
    }

    private List<LinkedEntity> linked(String query, long id, Instant now) {
        List<LinkedEntity> out = new ArrayList<>();
        for (Object o : em.createNativeQuery(query).setParameter("id", id).setParameter("now", now).getResultList()) {
            Object[] r = (Object[]) o;
            out.add(new LinkedEntity((String) r[0], (Boolean) r[1], instant(r[2]), (String) r[3]));
        }
        return out;
    }
}
