package dev.stigmergy.pheromone;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reinforcement (DESIGN.md §2): a verdict by a role allowed to reinforce the type. Not deposition: it folds
 * decay in, then changes intensity, expiry or visibility, never the payload; each verdict is stored with its
 * validator and trigger.
 */
@ApplicationScoped
@Transactional
public class ReinforcementService {

    private final PheromoneService pheromones;
    private final RoleSliceService slices;
    private final PheromoneRepository repository;
    private final SignalTypeRepository signalTypes;
    private final EventLog events;
    private final Clock clock;

    public ReinforcementService(PheromoneService pheromones, RoleSliceService slices, PheromoneRepository repository,
                                SignalTypeRepository signalTypes, EventLog events, Clock clock) {
        this.signalTypes = signalTypes;
        this.pheromones = pheromones;
        this.slices = slices;
        this.repository = repository;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Gives a verdict on pheromone {@code id}. EXPONENTIAL and EXPIRY: intensity becomes current (decay folded
     * in) + boost or − penalty, within [0, maxIntensity] (depositCap does not bind verdicts). REINFORCEMENT_ONLY:
     * the verdict's delta counts towards the strength for the type's window. {@code extendSeconds} pushes
     * visibleUntil later (EXPIRY, REINFORCEMENT_ONLY). Recorded as {@code pheromone.verdict}.
     *
     * @throws dev.stigmergy.api.NotFoundException no such pheromone, or it has evaporated (404)
     * @throws ServiceOwnedSignalException         service-owned type (403)
     * @throws OutsideRoleSliceException           the acting role may not reinforce the type (403)
     * @throws InvalidInputException               boost with a reject, penalty with an approval, not finite or
     *                                             out of range, extendSeconds on EXPONENTIAL (400)
     */
    public VerdictView reinforce(long id, Verdict request, Caller caller) {
        Instant now = clock.instant();
        Pheromone p = pheromones.requireLocked(id);
        caller.requireEnvironment(p.environment);
        if (!p.visibleAt(now)) {
            throw new dev.stigmergy.api.NotFoundException("pheromone", String.valueOf(id));
        }
        SignalType type = signalTypes.findById(p.type);
        if (type.serviceOwned) {
            throw new ServiceOwnedSignalException(type.name);
        }
        String role = caller.actingRole();
        if (!(type.reinforceRoleList().contains("*") || type.reinforceRoleList().contains(role))) {
            throw new OutsideRoleSliceException(role, "reinforce", type.name, OutsideRoleSliceException.TYPE);
        }
        if (!slices.sliceOf(role).canReinforce(type.name)) {
            throw new OutsideRoleSliceException(role, "reinforce", type.name, OutsideRoleSliceException.SLICE);
        }
        boolean approve = request.approve();
        if (approve && request.penalty() != null || !approve && request.boost() != null) {
            throw new InvalidInputException(approve ? "an approval takes boost, not penalty" : "a reject takes penalty, not boost");
        }
        double amount = approve ? orOne(request.boost(), "boost", type) : orOne(request.penalty(), "penalty", type);
        double delta = approve ? amount : -amount;
        if (request.extendSeconds() != null && type.decay() instanceof DecayPolicy.Exponential) {
            throw new InvalidInputException("extendSeconds applies to EXPIRY and REINFORCEMENT_ONLY types; '"
                    + type.name + "' decays EXPONENTIAL");
        }

        double before = repository.currentIntensity(id, now);
        if (type.reinforcementOnly()) {
            PheromoneService.fold(p, type, p.intensity, null, now);
        } else {
            Instant expiresAt = p.visibleUntil;
            PheromoneService.fold(p, type, Math.max(0, Math.min(type.maxIntensity, before + delta)), null, now);
            if (type.decay() instanceof DecayPolicy.Expiry && p.intensity > 0) {
                // a verdict changes intensity, not the deposit's expiry (unless extended below)
                p.visibleUntil = expiresAt;
            }
        }
        if (request.extendSeconds() != null && p.visibleUntil != null) {
            p.visibleUntil = p.visibleUntil.plusSeconds(request.extendSeconds());
        }
        repository.flush();
        long verdictId = repository.insertVerdict(id, caller.agentId(), role, approve, delta, request.extendSeconds(),
                request.trigger(), before, now);
        double after = repository.currentIntensity(id, now);
        repository.verdictIntensityAfter(verdictId, after);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("pheromone", id);
        data.put("verdict", verdictId);
        data.put("type", p.type);
        data.put("approve", approve);
        data.put("delta", delta);
        data.put("intensityBefore", before);
        data.put("intensityAfter", after);
        data.put("trigger", request.trigger());
        events.append(now, "pheromone.verdict", p.environment, p.address(), caller.agentId(), data);
        return new VerdictView(verdictId, id, caller.agentId(), role, approve, delta, request.extendSeconds(),
                request.trigger(), before, after, now, pheromones.view(p, after, now));
    }

    private static double orOne(Double value, String name, SignalType type) {
        double v = value == null ? 1.0 : value;
        if (!Double.isFinite(v) || v < 0 || v > type.maxIntensity) {
            throw new InvalidInputException(name + " must be a finite number from 0 to " + type.maxIntensity + "; got " + value);
        }
        return v;
    }
}
