package dev.stigmergy.entity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.AlreadyExistsException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.api.StigmergyException;
import dev.stigmergy.db.Sql;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.EventRows;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.stigmergy.time.SqlTimes.instant;

/** Entity kinds and entities (DESIGN.md §1 "entity"). */
@ApplicationScoped
@Transactional
public class EntityService {

    static final String KIND = "[a-z][a-z0-9-]{0,39}";
    static final String KIND_MESSAGE = "must be 1-40 of a-z 0-9 - starting with a letter";
    /** Keys never contain '/' or start with '.', so an address can never read as a relative path. */
    public static final String KEY = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    public static final String KEY_MESSAGE = "must be 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit";

    /** Outcome of {@link #put}: the entity and whether the call created it. */
    public record Put(EntityView entity, boolean created) {
    }

    /**
     * Resolved references by address. Safe to keep without expiry because what a reference holds never
     * changes: entities are never deleted, keep their id, and cannot move to another environment ({@link #put}
     * refuses). Misses are not cached, so a new entity resolves at once. Whoever adds entity deletion must
     * evict here (and on every replica). Saves one query on every call that names an entity (benchmark P1).
     */
    private final Cache<String, EntityRef> refs = Caffeine.newBuilder().maximumSize(100_000).build();
    // kinds are registered, never removed
    private final Set<String> knownKinds = ConcurrentHashMap.newKeySet();

    private final EntityManager em;
    private final Sql sql;
    private final EnvironmentService environments;
    private final EventLog events;
    private final Clock clock;

    public EntityService(EntityManager em, Sql sql, EnvironmentService environments, EventLog events, Clock clock) {
        this.em = em;
        this.sql = sql;
        this.environments = environments;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Registers an entity kind (admin), recorded as {@code entity-kind.registered}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws AlreadyExistsException               the kind exists (409)
     */
    public EntityKindView registerKind(RegisterEntityKind request, Caller caller) {
        caller.requireAdmin("registering an entity kind");
        Instant now = clock.instant();
        String description = request.description() == null ? "" : request.description();
        int inserted = em.createNativeQuery("""
                        insert into entity_kind (name, description, built_in, created_at)
                        values (:name, :description, false, :now) on conflict (name) do nothing""")
                .setParameter("name", request.name())
                .setParameter("description", description)
                .setParameter("now", now)
                .executeUpdate();
        if (inserted == 0) {
            throw new AlreadyExistsException("entity kind", request.name());
        }
        events.append(now, "entity-kind.registered", null, null, caller.agentId(), Map.of("name", request.name()));
        return new EntityKindView(request.name(), description, false);
    }

    /** Every entity kind, ordered by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EntityKindView> kinds() {
        return EntityKind.<EntityKind>listAll(Sort.by("name")).stream()
                .map(k -> new EntityKindView(k.name, k.description, k.builtIn)).toList();
    }

    /**
     * Creates the entity {@code kind/key}, or updates its title and status; one statement, so concurrent
     * creators agree on one row. Recorded as {@code entity.created} or {@code entity.updated}.
     *
     * <p>Called outside a transaction, that statement runs in autocommit: its event id is drawn and committed
     * inside one server-side step, so a caller's thread descheduled before it sends {@code COMMIT} cannot hold
     * back the streams, which deliver in id order and wait at an id not yet committed (benchmark P7).
     *
     * @throws NotFoundException      the kind or the environment does not exist (404)
     * @throws dev.stigmergy.api.ForbiddenException the environment is outside the caller's scope (403)
     * @throws AlreadyExistsException the entity exists in another environment (409)
     */
    // a write under SUPPORTS: one statement, in autocommit outside a caller's transaction (see above)
    @Transactional(Transactional.TxType.SUPPORTS)
    public Put put(String kind, String key, PutEntity request, Caller caller) {
        requireKind(kind);
        caller.requireEnvironment(request.environment()); // the body names it: no path filter sees it (issue 27)
        environments.get(request.environment());
        Instant now = clock.instant();
        Put put = sql.oneRow(UPSERT_WITH_EVENT, row -> {
            events.appended(row.getLong(7));
            return new Put(new EntityView(kind, key, kind + "/" + key, request.environment(), row.getString(2),
                    row.getString(3), instant(row.getObject(4, OffsetDateTime.class)), row.getString(5),
                    instant(row.getObject(6, OffsetDateTime.class))), row.getBoolean(1));
        }, kind, key, request.environment(), request.title(), request.status(), now, caller.agentId(), now,
                request.status(), now, caller.agentId());
        if (put == null) {
            throw new AlreadyExistsException("entity", kind + "/" + key + "' in another environment than '"
                    + request.environment());
        }
        return put;
    }

    // One statement, with its entity.created or entity.updated event (EventLog.appended: the row is written before
    // the event draws its id); an entity of another environment answers no row and changes nothing.
    private static final String UPSERT_WITH_EVENT = """
            with put as (
                insert into entity (kind, key, environment, title, status, created_at, created_by, updated_at)
                values (?, ?, ?, ?, coalesce(cast(? as text), 'open'), ?, ?, ?)
                on conflict (kind, key) do update
                   set title = excluded.title,
                       status = coalesce(cast(? as text), entity.status),
                       updated_at = excluded.updated_at
                 where entity.environment = excluded.environment
                returning (xmax = 0) as created, title, status, created_at, created_by, updated_at, environment,
                          kind || '/' || key as address
            ), appended as (
            %s
            )
            select p.created, p.title, p.status, p.created_at, p.created_by, p.updated_at, a.id
              from put p cross join appended a"""
            .formatted(EventRows.appendedFrom("put", """
                    ?, case when created then 'entity.created' else 'entity.updated' end, environment, address, ?,
                    jsonb_build_object('title', title, 'status', status)"""));

    /**
     * @throws NotFoundException the kind or the entity does not exist (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntityView get(String kind, String key) {
        return view(requireRow(kind, key));
    }

    /**
     * Resolves entities another read answered (a page of {@link #list}) for another capability, those not yet known
     * in one statement.
     *
     * @return in the order of {@code entities}; an entity no longer found is left out
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EntityRef> resolve(List<EntityView> entities) {
        Map<String, EntityRef> known = new java.util.HashMap<>();
        Set<String> kinds = new java.util.HashSet<>(), keys = new java.util.HashSet<>();
        for (EntityView entity : entities) {
            EntityRef ref = refs.getIfPresent(entity.address());
            if (ref != null) {
                known.put(entity.address(), ref);
            } else {
                kinds.add(entity.kind());
                keys.add(entity.key());
            }
        }
        if (!kinds.isEmpty()) {
            // the (kind, key) index answers both lists; pairs of one entity's kind with another's key are dropped below
            for (EntityRow row : EntityRow.<EntityRow>list("kind in ?1 and key in ?2", kinds, keys)) {
                EntityRef ref = new EntityRef(row.id, row.kind, row.key, row.environment);
                refs.put(ref.address(), ref);
                known.put(ref.address(), ref);
            }
        }
        return entities.stream().map(e -> known.get(e.address())).filter(java.util.Objects::nonNull).toList();
    }

    /**
     * Resolves an entity for another capability.
     *
     * @throws NotFoundException the kind or the entity does not exist (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntityRef require(String kind, String key) {
        String address = kind + "/" + key;
        EntityRef known = refs.getIfPresent(address);
        if (known != null) {
            return known;
        }
        EntityRow row = requireRow(kind, key);
        EntityRef ref = new EntityRef(row.id, row.kind, row.key, row.environment);
        refs.put(address, ref);
        return ref;
    }

    /**
     * {@link #require(String, String)} on behalf of {@code caller}: the entity's environment must be in its scope (issue
     * 27), checked where the entity is resolved, so no door reads the row for it.
     *
     * @throws NotFoundException                    the kind or the entity does not exist (404)
     * @throws dev.stigmergy.api.ForbiddenException the entity's environment is outside the caller's scope (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntityRef require(String kind, String key, Caller caller) {
        EntityRef entity = require(kind, key);
        caller.requireEnvironment(entity.environment());
        return entity;
    }

    /**
     * Pages through entities ordered by address; each filter {@code null} for any.
     *
     * @param after address {@code kind/key} to read after, or {@code null} from the start
     * @param limit page size, 1–1000
     * @throws InvalidInputException {@code after} is not an address (400)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntityPage list(String environment, String kind, String status, String after, int limit, Caller caller) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (caller.environments() != null) {
            // in the query, not after it: a scoped agent's pages are full and nextAfter is its own last row
            where.append(" and environment in :scope");
            params.and("scope", caller.environments());
        }
        if (environment != null) {
            where.append(" and environment = :environment");
            params.and("environment", environment);
        }
        if (kind != null) {
            where.append(" and kind = :kind");
            params.and("kind", kind);
        }
        if (status != null) {
            where.append(" and status = :status");
            params.and("status", status);
        }
        if (after != null) {
            int slash = after.indexOf('/');
            if (slash < 1 || slash == after.length() - 1) {
                throw new InvalidInputException("after must be an entity address kind/key");
            }
            where.append(" and (kind > :afterKind or (kind = :afterKind and key > :afterKey))");
            params.and("afterKind", after.substring(0, slash)).and("afterKey", after.substring(slash + 1));
        }
        List<EntityView> views = EntityRow.<EntityRow>find(where + " order by kind, key", params)
                .page(0, limit).list().stream().map(EntityService::view).toList();
        return new EntityPage(views, views.isEmpty() ? null : views.get(views.size() - 1).address());
    }

    private EntityRow requireRow(String kind, String key) {
        EntityRow row = EntityRow.find(kind, key);
        if (row == null) {
            // only a miss needs the kind read: every entity's kind is registered (foreign key)
            requireKind(kind);
            throw new NotFoundException("entity", kind + "/" + key);
        }
        return row;
    }

    private void requireKind(String kind) {
        if (knownKinds.contains(kind)) {
            return;
        }
        if (EntityKind.findById(kind) != null) {
            knownKinds.add(kind);
        } else {
            throw new StigmergyException(404, "/problems/unknown-entity-kind", "Unknown entity kind",
                    "entity kind '" + kind + "' is not registered; see GET /entity-kinds");
        }
    }

    private static EntityView view(EntityRow e) {
        return new EntityView(e.kind, e.key, e.kind + "/" + e.key, e.environment, e.title, e.status,
                e.createdAt, e.createdBy, e.updatedAt);
    }
}
