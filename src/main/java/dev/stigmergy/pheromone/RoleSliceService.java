package dev.stigmergy.pheromone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.agent.RoleView;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.Invalidation;
import dev.stigmergy.event.Invalidations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Role slices (DESIGN.md §1 "role"): what a role reads, writes and reinforces, and its local query. A role
 * without a stored slice reads every type and writes and reinforces none.
 */
@ApplicationScoped
@Transactional
public class RoleSliceService {

    private static final String TOPIC = "role-slice:";

    // every sensing call and deposit reads its role's slice: kept until an Invalidation names the role (a change
    // on any replica), at the latest for a minute
    private final Cache<String, RoleSliceView> slices = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    private final RoleSliceRepository repository;
    private final AgentService agents;
    private final EventLog events;
    private final Invalidations invalidations;
    private final Clock clock;

    public RoleSliceService(RoleSliceRepository repository, AgentService agents, EventLog events,
                            Invalidations invalidations, Clock clock) {
        this.repository = repository;
        this.agents = agents;
        this.events = events;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    void onInvalidation(@Observes(during = TransactionPhase.AFTER_SUCCESS) Invalidation invalidation) {
        invalidation.evict(slices, TOPIC);
    }

    /**
     * The slice of {@code role}.
     *
     * @throws NotFoundException the role is not registered (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RoleSliceView slice(String role) {
        requireRole(role);
        return sliceOf(role);
    }

    /** The slice of the role the call acts as (known to exist: authentication checked it); cached. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public RoleSliceView actingSlice(Caller caller) {
        return sliceOf(caller.actingRole());
    }

    /** The slice of a role known to exist (the caller's acting role). */
    @Transactional(Transactional.TxType.SUPPORTS)
    RoleSliceView sliceOf(String role) {
        return slices.get(role, r -> {
            RoleSlice slice = repository.findById(r);
            return slice != null ? slice.view() : new RoleSliceView(r, List.of("*"), List.of(), List.of(),
                    new RoleSliceView.LocalQuery(null, List.of(), List.of(), 0, 50));
        });
    }

    /**
     * Replaces the slice of {@code role} (admin); recorded as {@code role.slice-changed}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws NotFoundException                    the role is not registered (404)
     * @throws dev.stigmergy.event.MalformedSelectorException a type pattern breaks the selector grammar (400)
     */
    public RoleSliceView put(String role, RoleSliceView request, Caller caller) {
        caller.requireAdmin("changing a role's slice");
        requireRole(role);
        for (List<String> patterns : List.of(request.reads(), request.writes(), request.reinforces(),
                request.localQuery().types())) {
            patterns.forEach(RoleSliceView::selector); // a bad pattern: 400 naming where it fails, nothing stored
        }
        Instant now = clock.instant();
        RoleSlice slice = repository.findById(role);
        if (slice == null) {
            slice = new RoleSlice();
            slice.role = role;
        }
        slice.reads = request.reads().toArray(String[]::new);
        slice.writes = request.writes().toArray(String[]::new);
        slice.reinforces = request.reinforces().toArray(String[]::new);
        RoleSliceView.LocalQuery q = request.localQuery();
        slice.environment = q.environment();
        slice.entityKinds = q.entityKinds().toArray(String[]::new);
        slice.types = q.types().toArray(String[]::new);
        slice.minIntensity = q.minIntensity();
        slice.queryLimit = q.limit() == null ? RoleSliceView.LocalQuery.DEFAULT_LIMIT : q.limit();
        repository.persist(slice);
        invalidations.announce(TOPIC + role);
        RoleSliceView view = slice.view();
        events.append(now, "role.slice-changed", null, null, caller.agentId(), Map.of("slice", view));
        return view;
    }

    private void requireRole(String role) {
        if (agents.roles().stream().map(RoleView::name).noneMatch(role::equals)) {
            throw new NotFoundException("role", role);
        }
    }
}
