package dev.stigmergy.pheromone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.event.EventLog;
import io.quarkus.arc.NoClassInterceptors;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deposit and removal of pheromones (DESIGN.md §2): the fold-add-cap rule, for agents and for the service itself.
 * Sensing and ranking are {@link PheromoneSensing}; service-owned signals are kept by {@link ServiceSignals}.
 */
@ApplicationScoped
@Transactional
public class PheromoneService {

    /** Outcome of {@link #deposit}: the pheromone and whether the call created it (else it folded a repeat). */
    public record Deposited(PheromoneView pheromone, boolean created) {
    }

    private final EntityService entities;
    private final SignalTypeService types;
    private final RoleSliceService slices;
    private final PheromoneRepository repository;
    private final SignalTypeRepository signalTypes;
    private final EventLog events;
    private final ObjectMapper json;
    private final PheromoneConfig config;
    private final Clock clock;
    private final DepositBatcher batcher;
    private final Event<CompletionSignalled> completions;

    public PheromoneService(EntityService entities, SignalTypeService types, RoleSliceService slices,
                            PheromoneRepository repository, SignalTypeRepository signalTypes, EventLog events, ObjectMapper json,
                            PheromoneConfig config, Clock clock, DepositBatcher batcher,
                            Event<CompletionSignalled> completions) {
        this.entities = entities;
        this.types = types;
        this.slices = slices;
        this.repository = repository;
        this.signalTypes = signalTypes;
        this.events = events;
        this.json = json;
        this.config = config;
        this.clock = clock;
        this.batcher = batcher;
        this.completions = completions;
    }

    /**
     * Deposits on {@code kind/key} as the calling agent. A repeat deposit of the same type by the same agent
     * folds decay in, then adds, capped at the type's depositCap / maxIntensity (never lowering a higher,
     * verdict-earned intensity). Recorded as {@code pheromone.deposited}. Outside a transaction it is written in
     * a round with the deposits made meanwhile ({@link DepositBatcher}), and answered once that round committed.
     *
     * @throws NotFoundException            unknown entity kind or entity (404)
     * @throws InvalidInputException        unknown type, intensity not finite or ≤ 0, payload too large,
     *                                      half-life override out of bounds or on a non-EXPONENTIAL type (400)
     * @throws ServiceOwnedSignalException  the type is service-owned (403)
     * @throws OutsideRoleSliceException    the acting role or the type does not allow writing it (403)
     */
    // a write under SUPPORTS: outside a transaction it joins a group-commit round; inside one it belongs to it
    @Transactional(Transactional.TxType.SUPPORTS)
    @io.micrometer.core.annotation.Counted(value = "stigmergy.pheromone.deposits", description = "Deposits by agents, every door")
    public Deposited deposit(String kind, String key, Deposit request, Caller caller) {
        Instant now = clock.instant();
        SignalType type = types.requireForUse(request.type());
        requireWrite(type, caller);
        double added = request.intensity() == null ? 1.0 : request.intensity();
        if (!Double.isFinite(added) || added <= 0) {
            throw new InvalidInputException("intensity must be a finite number > 0; got " + request.intensity());
        }
        Long halfLife = halfLife(type, request.halfLifeSeconds());
        String payload = payload(request.payload());
        EntityRef entity = entities.require(kind, key, caller);
        if (type.reinforcementOnly() && request.intensity() != null) {
            throw new InvalidInputException("signal type '" + type.name + "' is REINFORCEMENT_ONLY: its strength is "
                    + "the sum of verdicts; deposit it without intensity");
        }

        String agent = caller.agentId();
        // REINFORCEMENT_ONLY strength lives in the verdicts, outside the row a conditional write checks; inside a
        // caller's transaction the deposit belongs to it
        Deposited deposited = null;
        if (!type.reinforcementOnly() && !QuarkusTransaction.isActive()) {
            Folded written = batcher.deposit(new DepositBatcher.Pending(entity, type, agent, added, halfLife,
                    payload, now));
            if (written != null) {
                deposited = new Deposited(view(written.row(), written.current(), now), written.created());
            }
        }
        if (deposited == null) {
            deposited = QuarkusTransaction.joiningExisting().call(
                    () -> depositAs(agent, agent, entity, type, added, halfLife, payload, now, false));
        }
        if (deposited.created() && type.name.startsWith(COMPLETION_FAMILY) && !otherCompletionVisible(entity, deposited, now)) {
            completions.fire(new CompletionSignalled(entity, type.name, agent, now));
        }
        return deposited;
    }

    private static final String COMPLETION_FAMILY = "completion.";

    // whether the entity was done before this deposit: another visible completion pheromone than the new one
    private boolean otherCompletionVisible(EntityRef entity, Deposited deposited, Instant now) {
        return QuarkusTransaction.joiningExisting().call(() -> repository.anotherCompletionVisible(entity.id(),
                deposited.pheromone().id(), now));
    }

    /**
     * Deposits a signal on behalf of the service itself (e.g. {@code saturation} on the entity of an intent
     * that lost an L3 contest), as depositor {@code service:<source>}, with the same fold-add-cap rule as an
     * agent's deposit but no role check. For other capabilities, inside their transaction.
     *
     * @param source what deposits, e.g. {@code intent:42}
     * @throws NotFoundException     unknown entity (404)
     * @throws InvalidInputException unknown type, or intensity not finite or ≤ 0
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Deposited depositAsService(String kind, String key, String typeName, String source, double intensity,
                                      Object payload) {
        Instant now = clock.instant();
        SignalType type = types.requireForUse(typeName);
        if (!Double.isFinite(intensity) || intensity <= 0) {
            throw new InvalidInputException("intensity must be a finite number > 0; got " + intensity);
        }
        String json;
        try {
            json = payload == null ? null : this.json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not serialisable", e);
        }
        return depositAs("service:" + source, null, entities.require(kind, key), type, intensity, null, json, now, true);
    }

    /**
     * The deposit itself, in a transaction: the (entity, type, depositor) row read with its lock, then one statement
     * that inserts the folded row with its event when there was none ({@code INSERT … ON CONFLICT DO NOTHING}; a
     * concurrent first deposit that wins the insert turns this one into a repeat) or updates the row folded with
     * its event. {@code refresh} reloads the row after locking, for a persistence context that may hold it from
     * earlier in the caller's transaction.
     */
    private Deposited depositAs(String depositor, String actingAgent, EntityRef entity, SignalType type, double added,
                                Long halfLife, String payload, Instant now, boolean refresh) {
        Pheromone p = repository.lockExisting(entity.id(), type.name, depositor);
        if (p == null) {
            Folded fresh = foldDeposit(null, 0, entity, type, depositor, added, halfLife, payload, now);
            PheromoneRepository.Inserted inserted = repository.insertIfAbsent(fresh.row(), now, actingAgent,
                    events.serialise(fresh.eventData()));
            if (inserted != null) {
                fresh.row().id = inserted.id();
                events.appended(inserted.eventId());
                return new Deposited(view(fresh.row(), fresh.current(), now), true);
            }
            p = repository.lockExisting(entity.id(), type.name, depositor);
        } else if (refresh) {
            repository.refresh(p);
        }
        // written below together with its event, in one statement, not by a flush at commit
        repository.detach(p);
        Folded repeat = foldDeposit(p, currentIntensity(p, type, now), entity, type, depositor, added, halfLife, payload, now);
        long eventId = repository.updateFolded(p, now, actingAgent, events.serialise(repeat.eventData()));
        events.appended(eventId);
        return new Deposited(view(p, repeat.current(), now), false);
    }

    /**
     * A deposit folded in memory, to be written: the new or changed row, its current intensity once written, and
     * its event's data (without the pheromone's id when {@code created}: the insert adds it).
     */
    record Folded(Pheromone row, boolean created, double current, Map<String, Object> eventData) {
    }

    /**
     * The deposit rule (DESIGN.md §2) applied to {@code existing}, the depositor's row of this (entity, type) at
     * intensity {@code before} now, or to a first deposit when {@code existing} is {@code null}: decay folded in,
     * then {@code added}, capped at the type's depositCap / maxIntensity without lowering a higher, verdict-earned
     * intensity. Changes {@code existing} in place; writes nothing.
     */
    static Folded foldDeposit(Pheromone existing, double before, EntityRef entity, SignalType type, String depositor,
                              double added, Long halfLife, String payload, Instant now) {
        double limit = type.depositLimit();
        boolean reinforcementOnly = type.reinforcementOnly();
        if (existing == null) {
            Pheromone fresh = new Pheromone();
            fresh.entityId = entity.id();
            fresh.entityKind = entity.kind();
            fresh.entityKey = entity.key();
            fresh.environment = entity.environment();
            fresh.type = type.name;
            fresh.agent = depositor;
            fresh.createdAt = now;
            fresh.payload = payload;
            fold(fresh, type, reinforcementOnly ? 0 : Math.min(added, limit), halfLife, now);
            // a first REINFORCEMENT_ONLY deposit has no verdict yet; a deposit under its floor is invisible at once
            double current = reinforcementOnly || !fresh.visibleAt(now) ? 0 : fresh.intensity;
            return new Folded(fresh, true, current, depositedData(null, type.name, added, 0, current, false));
        }
        Pheromone p = existing;
        if (!p.visibleAt(now)) {
            // an evaporated row waiting for the sweep starts afresh
            p.createdAt = now;
            p.claimHolder = null;
            p.claimExpiresAt = null;
            p.claimFencingToken = null;
            p.claimLeaseSeconds = null;
        }
        double after = reinforcementOnly ? before : Math.max(before, Math.min(before + added, limit));
        fold(p, type, after, halfLife, now);
        if (payload != null) {
            p.payload = payload;
        }
        // just folded at now: the stored intensity is the current one (REINFORCEMENT_ONLY: the verdicts' sum)
        double current = !p.visibleAt(now) ? 0 : reinforcementOnly ? before : p.intensity;
        return new Folded(p, false, current, depositedData(p.id, p.type, added, before, current, true));
    }

    /** The data of a {@code pheromone.deposited} event; a {@code null} id is left out (the insert adds it). */
    private static Map<String, Object> depositedData(Long id, String type, double added, double before, double current,
                                                     boolean repeat) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (id != null) {
            data.put("pheromone", id);
        }
        data.put("type", type);
        data.put("added", added);
        data.put("intensityBefore", before);
        data.put("intensity", current);
        data.put("repeat", repeat);
        return data;
    }

    /**
     * Current intensity of a row-locked pheromone at {@code now} (0 when invisible): computed here from the row,
     * as {@link PheromoneRepository#CURRENT} does, except REINFORCEMENT_ONLY, whose strength lives in the verdicts.
     */
    private double currentIntensity(Pheromone p, SignalType type, Instant now) {
        return type.reinforcementOnly() && p.visibleAt(now) ? repository.currentIntensity(p.id, now)
                : decayedIntensity(p, type, now);
    }

    /** As {@link #currentIntensity}, for the types whose strength is the row's own: all but REINFORCEMENT_ONLY. */
    static double decayedIntensity(Pheromone p, SignalType type, Instant now) {
        if (!p.visibleAt(now)) {
            return 0;
        }
        DecayPolicy decay = type.decay();
        if (decay instanceof DecayPolicy.Exponential e) {
            return DecayPolicy.Exponential.intensityAt(p.intensity, p.depositedAt, now,
                    p.halfLifeSeconds != null ? p.halfLifeSeconds : e.halfLifeSeconds());
        }
        if (decay instanceof DecayPolicy.ReinforcementOnly) {
            throw new IllegalArgumentException("its strength lives in the verdicts");
        }
        return p.intensity; // EXPIRY and PERMANENT keep their intensity while visible
    }

    /**
     * Removes the caller's own pheromone; recorded as {@code pheromone.removed}.
     *
     * @throws NotFoundException           no such pheromone (404)
     * @throws ServiceOwnedSignalException service-owned type (403)
     * @throws ForbiddenException          another agent's deposit (403)
     * @throws OutsideRoleSliceException   the acting role may not write the type (403)
     */
    public void remove(long id, Caller caller) {
        Instant now = clock.instant();
        Pheromone p = requireLocked(id);
        caller.requireEnvironment(p.environment);
        SignalType type = signalTypes.findById(p.type);
        requireWrite(type, caller);
        if (!p.agent.equals(caller.agentId())) {
            throw new ForbiddenException("pheromone " + id + " was deposited by " + p.agent + "; only its depositor removes it");
        }
        repository.delete(p);
        events.append(now, "pheromone.removed", p.environment, p.address(), caller.agentId(),
                Map.of("pheromone", id, "type", p.type));
    }

    // --- shared by the verdict and claim services ------------------------------------------------------

    /** The pheromone, row-locked. @throws NotFoundException (404) */
    Pheromone requireLocked(long id) {
        if (!repository.lock(id)) {
            throw new NotFoundException("pheromone", String.valueOf(id));
        }
        Pheromone p = repository.findById(id);
        repository.refresh(p);
        return p;
    }

    void requireRead(String type, Caller caller) {
        if (!slices.sliceOf(caller.actingRole()).canRead(type)) {
            throw new OutsideRoleSliceException(caller.actingRole(), "read", type);
        }
    }

    /** Sets the folded intensity at {@code now} and what makes visibility and ranking indexable. */
    static void fold(Pheromone p, SignalType type, double intensity, Long halfLife, Instant now) {
        p.intensity = intensity;
        p.depositedAt = now;
        DecayPolicy decay = type.decay();
        if (decay instanceof DecayPolicy.Exponential e) {
            long h = halfLife != null ? halfLife : p.halfLifeSeconds != null ? p.halfLifeSeconds : e.halfLifeSeconds();
            p.halfLifeSeconds = h;
            p.visibleUntil = DecayPolicy.Exponential.visibleUntil(intensity, now, h, e.floor());
            p.rankKey = DecayPolicy.Exponential.rankKey(intensity, now, h);
        } else if (decay instanceof DecayPolicy.Expiry x) {
            p.visibleUntil = intensity <= 0 ? now : now.plusSeconds(x.ttlSeconds());
        } else if (decay instanceof DecayPolicy.ReinforcementOnly r) {
            Instant window = now.plusSeconds(r.windowSeconds());
            p.visibleUntil = p.visibleUntil == null || p.visibleUntil.isBefore(window) ? window : p.visibleUntil;
        } else {
            p.visibleUntil = null; // PERMANENT
        }
    }

    @NoClassInterceptors // no transaction of its own: a view reads no row, and every deposit's answer is one
    PheromoneView view(Pheromone p, double intensity, Instant now) {
        JsonNode payload;
        try {
            payload = p.payload == null ? null : json.readTree(p.payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored payload of pheromone " + p.id + " is not JSON", e);
        }
        ClaimView claim = p.claimHolder != null && p.claimExpiresAt != null && p.claimExpiresAt.isAfter(now)
                ? new ClaimView(p.id, p.address(), p.claimHolder, p.claimFencingToken, p.claimLeaseSeconds, p.claimExpiresAt)
                : null;
        return new PheromoneView(p.id, p.address(), p.environment, p.type, p.agent, intensity, p.intensity,
                p.depositedAt, p.createdAt, p.halfLifeSeconds, p.visibleUntil, payload, claim, now);
    }

    private void requireWrite(SignalType type, Caller caller) {
        if (type.serviceOwned) {
            throw new ServiceOwnedSignalException(type.name);
        }
        String role = caller.actingRole();
        if (!(type.writeRoleList().contains("*") || type.writeRoleList().contains(role))) {
            throw new OutsideRoleSliceException(role, "write", type.name, OutsideRoleSliceException.TYPE);
        }
        if (!slices.sliceOf(role).canWrite(type.name)) {
            throw new OutsideRoleSliceException(role, "write", type.name, OutsideRoleSliceException.SLICE);
        }
    }

    private static Long halfLife(SignalType type, Long requested) {
        if (requested == null) {
            return null;
        }
        if (!(type.decay() instanceof DecayPolicy.Exponential)) {
            throw new InvalidInputException("halfLifeSeconds applies to EXPONENTIAL types only; '" + type.name
                    + "' decays by " + type.decayKind);
        }
        if (requested < type.minHalfLifeSeconds || requested > type.maxHalfLifeSeconds) {
            throw new InvalidInputException("halfLifeSeconds " + requested + " is outside the bounds of '" + type.name
                    + "': " + type.minHalfLifeSeconds + " to " + type.maxHalfLifeSeconds);
        }
        return requested;
    }

    private String payload(JsonNode payload) {
        if (payload == null || payload.isNull()) {
            return null;
        }
        String text;
        try {
            text = json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("payload is not serialisable JSON");
        }
        int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > config.payloadMaxBytes()) {
            throw new InvalidInputException("payload is " + bytes + " bytes; at most " + config.payloadMaxBytes()
                    + " are allowed");
        }
        return text;
    }
}
