package dev.stigmergy.mergerequest;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.entity.PutEntity;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.event.EventLog;
import com.fasterxml.jackson.core.type.TypeReference;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Merge requests bound to branches (issue 28): creating and updating them, listing them, and the conflict
 * matrix the radar keeps. Only open merge requests take part; merging or closing one retires its pairs and
 * signals in the same transaction.
 */
@ApplicationScoped
@Transactional
public class MergeRequestService {

    /** Outcome of {@link #put}: the merge request and whether the call created it. */
    public record Put(MergeRequestView mergeRequest, boolean created) {
    }

    private final MergeRequestRepository rows;
    private final EntityService entities;
    private final EnvironmentService environments;
    private final ConflictRadar radar;
    private final EventLog events;
    private final Clock clock;

    public MergeRequestService(MergeRequestRepository rows, EntityService entities, EnvironmentService environments,
                               ConflictRadar radar, EventLog events, Clock clock) {
        this.rows = rows;
        this.entities = entities;
        this.environments = environments;
        this.radar = radar;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates {@code merge-request/<key>} bound to {@code sourceRef} and {@code targetRef}, or updates its title,
     * refs or state; the entity's status follows the state. An open merge request is compared at once (its
     * environment's refs are read); a merged or closed one leaves the radar: its pairs, their
     * {@code merge_conflict_risk} on both sides and its {@code files_blocked} are retracted. Recorded as
     * {@code entity.created}/{@code entity.updated} and {@code merge-request.put}.
     *
     * @throws NotFoundException                     unknown environment (404)
     * @throws InvalidInputException                 the environment has no repository (400)
     * @throws dev.stigmergy.api.AlreadyExistsException the key belongs to an entity of another environment (409)
     */
    public Put put(String environment, String key, PutMergeRequest request, Caller caller) {
        Instant now = clock.instant();
        if (environments.get(environment).repository() == null) {
            throw new InvalidInputException("environment '" + environment + "' has no repository to read branches from");
        }
        String state = request.state() == null ? "open" : request.state();
        entities.put(ConflictRadar.KIND, key, new PutEntity(environment, request.title(), state), caller);
        long entityId = entities.require(ConflictRadar.KIND, key).id();
        MergeRequestRepository.Row before = rows.find(key);
        String author = before == null ? caller.agentId() : before.author();
        boolean created = rows.upsert(entityId, environment, key, request, state, author, now);
        events.append(now, "merge-request.put", environment, ConflictRadar.KIND + "/" + key, caller.agentId(),
                Map.of("sourceRef", request.sourceRef(), "targetRef", request.targetRef(), "state", state));
        boolean refsChanged = before != null && (!before.sourceRef().equals(request.sourceRef())
                || !before.targetRef().equals(request.targetRef()));
        if (!"open".equals(state) || refsChanged) {
            radar.retire(environment, key, now);
        }
        if ("open".equals(state)) {
            radar.refresh(environment);
        }
        return new Put(rows.find(key).view(), created);
    }

    /**
     * @throws NotFoundException no merge request bound to branches has that key (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public MergeRequestView get(String key) {
        MergeRequestRepository.Row row = rows.find(key);
        if (row == null) {
            throw new NotFoundException("merge request", key);
        }
        return row.view();
    }

    /**
     * The environment's merge requests bound to branches, by key.
     *
     * @param openOnly only the open ones
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MergeRequestView> list(String environment, boolean openOnly) {
        environments.get(environment);
        return rows.inEnvironment(environment, openOnly).stream().map(MergeRequestRepository.Row::view).toList();
    }

    /**
     * The conflict matrix as the radar last computed it: open merge requests and their colliding pairs. It does
     * not read the repository; a poll or {@code POST /environments/{env}/refs} brings it up to date.
     *
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public ConflictMatrix conflicts(String environment) {
        environments.get(environment);
        List<MergeRequestView> open = rows.inEnvironment(environment, true).stream()
                .map(MergeRequestRepository.Row::view).toList();
        List<ConflictMatrix.PairConflict> pairs = rows.collidingPairs(environment).stream()
                .map(p -> rows.read(p.report(), new TypeReference<ConflictMatrix.PairConflict>() { })).toList();
        return new ConflictMatrix(environment, open, pairs);
    }
}
