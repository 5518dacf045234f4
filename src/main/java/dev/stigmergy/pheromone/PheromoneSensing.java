package dev.stigmergy.pheromone;

import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.DoubleUnaryOperator;

/**
 * Sensing and ranking pheromones (DESIGN.md §2): what a role senses on an entity, one pheromone, entities ranked
 * by a type's current intensity, and the acting role's local query. Reads only; the rules of depositing live in
 * {@link PheromoneService}.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class PheromoneSensing {

    private final EntityService entities;
    private final SignalTypeService types;
    private final RoleSliceService slices;
    private final PheromoneRepository repository;
    private final PheromoneRanking ranking;
    private final PheromoneService pheromones;
    private final Clock clock;

    PheromoneSensing(EntityService entities, SignalTypeService types, RoleSliceService slices,
                     PheromoneRepository repository, PheromoneRanking ranking, PheromoneService pheromones,
                     Clock clock) {
        this.entities = entities;
        this.types = types;
        this.slices = slices;
        this.repository = repository;
        this.ranking = ranking;
        this.pheromones = pheromones;
        this.clock = clock;
    }

    /**
     * One pheromone as sensed now.
     *
     * @throws NotFoundException         no such pheromone, or it has evaporated (404)
     * @throws OutsideRoleSliceException the acting role does not read its type (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PheromoneView get(long id, Caller caller) {
        Instant now = clock.instant();
        Pheromone p = repository.findById(id);
        if (p != null) {
            caller.requireEnvironment(p.environment);
        }
        if (p == null || !p.visibleAt(now)) {
            throw new NotFoundException("pheromone", String.valueOf(id));
        }
        pheromones.requireRead(p.type, caller);
        return pheromones.view(p, repository.currentIntensity(id, now), now);
    }

    /**
     * What the acting role senses on {@code kind/key} now: visible pheromones of the types it reads, raw and
     * aggregated per type.
     *
     * @throws NotFoundException unknown entity kind or entity (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EntityPheromones sense(String kind, String key, Caller caller) {
        Instant now = clock.instant();
        EntityRef entity = entities.require(kind, key, caller);
        return sensed(entity, repository.visibleOn(entity.id(), now), slices.sliceOf(caller.actingRole()), now, caller);
    }

    /**
     * What the acting role senses now on each of {@code entities}, as {@link #sense} answers it entity by entity,
     * in one statement for all; every entity must be in the caller's environment scope.
     *
     * @return by entity address, in the order of {@code entities}
     * @throws dev.stigmergy.api.ForbiddenException an entity's environment is outside the caller's scope (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, EntityPheromones> senseEach(List<EntityRef> entities, Caller caller) {
        Instant now = clock.instant();
        entities.forEach(entity -> caller.requireEnvironment(entity.environment()));
        Map<Long, List<PheromoneRepository.Current>> byEntity = new HashMap<>();
        for (PheromoneRepository.Current c : repository.visibleOnEach(entities.stream().map(EntityRef::id).toList(), now)) {
            byEntity.computeIfAbsent(c.pheromone().entityId, id -> new ArrayList<>()).add(c);
        }
        RoleSliceView slice = slices.sliceOf(caller.actingRole());
        Map<String, EntityPheromones> sensed = new LinkedHashMap<>();
        for (EntityRef entity : entities) {
            sensed.put(entity.address(), sensed(entity, byEntity.getOrDefault(entity.id(), List.of()), slice, now, caller));
        }
        return sensed;
    }

    private EntityPheromones sensed(EntityRef entity, List<PheromoneRepository.Current> visible, RoleSliceView slice,
                                    Instant now, Caller caller) {
        List<PheromoneView> raw = new ArrayList<>();
        Map<String, List<PheromoneView>> byType = new TreeMap<>();
        for (PheromoneRepository.Current c : visible) {
            if (!slice.canRead(c.pheromone().type)) {
                continue;
            }
            PheromoneView v = pheromones.view(c.pheromone(), c.intensity(), now);
            raw.add(v);
            byType.computeIfAbsent(v.type(), t -> new ArrayList<>()).add(v);
        }
        List<TypeAggregate> aggregates = byType.entrySet().stream().map(e -> new TypeAggregate(entity.address(),
                entity.environment(), e.getKey(), e.getValue().stream().mapToDouble(PheromoneView::intensity).sum(),
                e.getValue().size(), e.getValue().stream().map(PheromoneView::depositor).sorted().toList())).toList();
        return new EntityPheromones(entity.address(), entity.environment(), caller.actingRole(), now, raw, aggregates);
    }

    /**
     * Entities ranked by one type's aggregated current intensity, strongest first; ties by entity kind, key.
     * Exact at {@code now}, read through the ranking aggregate ({@link PheromoneRanking}), not a scan.
     *
     * @param minIntensity only totals ≥ this
     * @param environment  or {@code null} for all (the caller's environment scope applies either way)
     * @param kind         entity kind or {@code null} for all
     * @param limit        1–1000
     * @param excludeAgent leave out entities where this agent has a visible pheromone of the type, or {@code null}
     * @param depositorLimit list at most this many depositors per aggregate (the first by name; {@code count}
     *                     still counts all), or {@code null} for all: 100 depositors on each of 50 entities made
     *                     the names most of a ranking's cost (bench/latency/RESULTS.md §5)
     * @throws InvalidInputException     unknown type (400)
     * @throws OutsideRoleSliceException the acting role does not read the type (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Sensed rank(String typeName, double minIntensity, String environment, String kind, int limit,
                       String excludeAgent, Integer depositorLimit, Caller caller) {
        Instant now = clock.instant();
        SignalType type = types.requireForUse(typeName);
        pheromones.requireRead(type.name, caller);
        return new Sensed(caller.actingRole(), now, ranking.top(List.of(type.name), environment,
                kind == null ? List.of() : List.of(kind), caller.environments(), minIntensity, excludeAgent, limit,
                depositorLimit, now));
    }

    /**
     * The ranking bound of one type at {@code at}, for a read that walks {@code pheromone_aggregate} in
     * {@code bound_key} order itself (the ready query): maps a pair's {@code bound_key} to an upper bound of the
     * pair's summed current intensity at {@code at}, so the walk can stop once no unread pair can reach what
     * it has found (the threshold algorithm, as {@link #rank}).
     *
     * @throws InvalidInputException unknown type (400)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public DoubleUnaryOperator rankingBound(String typeName, Instant at) {
        SignalType type = types.requireForUse(typeName);
        Long halfLife = type.decay() instanceof DecayPolicy.Exponential e ? e.halfLifeSeconds() : null;
        double seconds = PheromoneRanking.keySeconds(at);
        return key -> PheromoneRanking.bound(key, halfLife, seconds);
    }

    /** Whether the role {@code role} (registered) senses signals of {@code type} (its slice's {@code reads}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean canRead(String role, String type) {
        return slices.sliceOf(role).canRead(type);
    }

    /**
     * The acting role's local query: aggregates per (entity, type) of the types it reads (narrowed by the
     * query's types), in its environment and entity kinds, at or above its minimum intensity, up to its limit.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Sensed senseSlice(Caller caller) {
        Instant now = clock.instant();
        RoleSliceView slice = slices.sliceOf(caller.actingRole());
        RoleSliceView.LocalQuery q = slice.localQuery();
        List<String> readable = types.list().stream().map(SignalTypeView::name)
                .filter(slice::canRead)
                .filter(t -> q.types().isEmpty() || RoleSliceView.matches(q.types(), t)).toList();
        if (readable.isEmpty()) {
            return new Sensed(caller.actingRole(), now, List.of());
        }
        return new Sensed(caller.actingRole(), now,
                ranking.top(readable, q.environment(), q.entityKinds(), caller.environments(), q.minIntensity(), null,
                        q.limit(), null, now));
    }

}
