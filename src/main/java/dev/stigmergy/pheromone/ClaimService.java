package dev.stigmergy.pheromone;

import dev.stigmergy.agent.AgentDeactivated;
import dev.stigmergy.lease.LiveLeases;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.lease.Heartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import io.quarkus.panache.common.Sort;
import java.util.List;
import java.util.Map;

/**
 * Claims on pheromones (DESIGN.md §2): first responder wins atomically; the claim is a lease with a fencing
 * token, renewed by its holder (or the holder's heartbeat), released by it, or lapsed at {@code expiresAt}.
 */
@ApplicationScoped
@Transactional
public class ClaimService implements LiveLeases {

    private final PheromoneService pheromones;
    private final PheromoneRepository repository;
    private final SignalTypeRepository types;
    private final FencingTokens tokens;
    private final EventLog events;
    private final Clock clock;

    public ClaimService(PheromoneService pheromones, PheromoneRepository repository, SignalTypeRepository types,
                        FencingTokens tokens, EventLog events, Clock clock) {
        this.types = types;
        this.pheromones = pheromones;
        this.repository = repository;
        this.tokens = tokens;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Claims pheromone {@code id} for the caller, or renews the caller's live claim (same fencing token, new
     * expiry). One conditional UPDATE: of concurrent claimers exactly one wins. Recorded as
     * {@code pheromone.claimed} or {@code pheromone.claim-renewed}.
     *
     * @param leaseSeconds lease length, 1 s to 1 h
     * @return the claim: holder, fencing token (global sequence), expiresAt
     * @throws NotFoundException           no such pheromone, or it has evaporated (404)
     * @throws ServiceOwnedSignalException service-owned type (403)
     * @throws OutsideRoleSliceException   the acting role does not read the type (403)
     * @throws ClaimHeldException          another agent holds a live claim; carries it (409)
     */
    public ClaimView claim(long id, long leaseSeconds, Caller caller) {
        Instant now = clock.instant();
        Pheromone p = repository.findById(id);
        if (p == null) {
            throw new NotFoundException("pheromone", String.valueOf(id));
        }
        caller.requireEnvironment(p.environment);
        if (types.findById(p.type).serviceOwned) {
            throw new ServiceOwnedSignalException(p.type);
        }
        pheromones.requireRead(p.type, caller);
        boolean wasHolder = caller.agentId().equals(p.claimHolder) && p.claimExpiresAt != null && p.claimExpiresAt.isAfter(now);
        long token = tokens.next();
        boolean granted = repository.claim(id, caller.agentId(), token, leaseSeconds, now);
        repository.refresh(p);
        if (!granted) {
            if (!p.visibleAt(now)) {
                throw new NotFoundException("pheromone", String.valueOf(id));
            }
            throw new ClaimHeldException(view(p));
        }
        ClaimView claim = view(p);
        boolean renewed = wasHolder && claim.fencingToken() != token;
        events.append(now, renewed ? "pheromone.claim-renewed" : "pheromone.claimed", p.environment, p.address(),
                caller.agentId(), Map.of("pheromone", id, "fencingToken", claim.fencingToken(),
                        "expiresAt", claim.expiresAt().toString(), "leaseSeconds", leaseSeconds));
        return claim;
    }

    /**
     * Releases the caller's live claim; recorded as {@code pheromone.released}.
     *
     * @throws NotFoundException  no such pheromone, or it has no live claim (404)
     * @throws ClaimHeldException another agent holds the claim; carries it (409)
     */
    public void release(long id, Caller caller) {
        Pheromone p = pheromones.requireLocked(id);
        caller.requireEnvironment(p.environment);
        release(p, caller.agentId(), clock.instant());
    }

    private Pheromone release(Pheromone p, String agent, Instant now) {
        long id = p.id;
        if (p.claimHolder == null || p.claimExpiresAt == null || !p.claimExpiresAt.isAfter(now)) {
            throw new NotFoundException("claim on pheromone", String.valueOf(id));
        }
        if (!p.claimHolder.equals(agent)) {
            throw new ClaimHeldException(view(p));
        }
        long token = p.claimFencingToken;
        p.claimHolder = null;
        p.claimFencingToken = null;
        p.claimLeaseSeconds = null;
        p.claimExpiresAt = null;
        events.append(now, "pheromone.released", p.environment, p.address(), agent,
                Map.of("pheromone", id, "fencingToken", token));
        return p;
    }

    /** Releases every live claim of a deactivated agent as the holder would ({@code pheromone.released}). */
    void onDeactivation(@Observes AgentDeactivated deactivation) {
        List<Long> ids = repository.find("claimHolder = ?1 and claimExpiresAt > ?2", Sort.by("id"),
                deactivation.agentId(), deactivation.now()).list().stream().map(p -> p.id).toList();
        for (long id : ids) {
            Pheromone p = release(pheromones.requireLocked(id), deactivation.agentId(), deactivation.now());
            deactivation.released(new AgentDeactivated.Released("claim", String.valueOf(id), p.address()));
        }
    }

    /**
     * The live claims {@code agent} holds, by pheromone id: what it must renew or release.
     *
     * @param limit at most this many, 1–1000
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ClaimView> heldBy(String agent, int limit) {
        Instant now = clock.instant();
        return repository.find("claimHolder = ?1 and claimExpiresAt > ?2", Sort.by("id"), agent, now)
                .page(0, limit).list().stream().map(ClaimService::view).toList();
    }

    /** Renews the heartbeating agent's live claims, each by its own lease length, in the heartbeat's transaction. */
    void onHeartbeat(@Observes Heartbeat heartbeat) {
        repository.renewClaims(heartbeat.agentId(), heartbeat.now()).forEach(heartbeat::renewed);
    }

    private static ClaimView view(Pheromone p) {
        return new ClaimView(p.id, p.address(), p.claimHolder, p.claimFencingToken, p.claimLeaseSeconds, p.claimExpiresAt);
    }

    /** Live pheromone claims per holder among {@code agents} at {@code now} (agent liveness). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Integer> liveLeases(List<String> agents, Instant now) {
        return LiveLeases.counted(repository.liveClaimCounts(agents, now));
    }
}
