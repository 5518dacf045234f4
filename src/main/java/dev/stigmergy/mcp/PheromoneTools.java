package dev.stigmergy.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.pheromone.Claim;
import dev.stigmergy.pheromone.ClaimService;
import dev.stigmergy.pheromone.ClaimView;
import dev.stigmergy.pheromone.Deposit;
import dev.stigmergy.pheromone.EntityPheromones;
import dev.stigmergy.pheromone.PheromoneSensing;
import dev.stigmergy.pheromone.PheromoneService;
import dev.stigmergy.pheromone.ReinforcementService;
import dev.stigmergy.pheromone.Sensed;
import dev.stigmergy.pheromone.Verdict;
import dev.stigmergy.pheromone.VerdictView;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Pheromone tools (DESIGN.md §2): adapters over {@link PheromoneService}, {@link PheromoneSensing}, {@link ClaimService} and
 * {@link ReinforcementService}, as {@code PheromoneResource} calls them.
 */
public class PheromoneTools {

    /** The constraints REST puts on the ranking's query parameters. */
    record RankQuery(@NotBlank @Size(max = 64) String type, @DecimalMin("0") double minIntensity,
                     @Size(max = 64) String environment, @Size(max = 40) String kind,
                     @Min(1) @Max(1000) int limit, @Size(max = 64) String excludeAgent,
                     @Min(0) @Max(1000) Integer depositorLimit) {
    }

    /** The answer of {@code release_claim}. */
    public record ClaimReleased(long pheromone, boolean released) {
    }

    private final PheromoneService pheromones;
    private final PheromoneSensing sensing;
    private final ClaimService claims;
    private final ReinforcementService reinforcement;
    private final ToolCalls calls;

    public PheromoneTools(PheromoneService pheromones, PheromoneSensing sensing, ClaimService claims,
                          ReinforcementService reinforcement, ToolCalls calls) {
        this.pheromones = pheromones;
        this.sensing = sensing;
        this.claims = claims;
        this.reinforcement = reinforcement;
        this.calls = calls;
    }

    @Tool(name = "sense_entity", description = "Read the signals on an entity now, as your acting role senses them: "
            + "each visible pheromone (type, depositor, current intensity after decay, claim) and per-type totals. "
            + "files_blocked names files another agent holds at L4 and that holder.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = EntityPheromones.class))
    ToolResponse senseEntity(@ToolArg(description = LockTools.ENTITY) String entity) {
        EntityAddress at = EntityAddress.parse(entity);
        return calls.read(Addressed.entity(at), caller -> sensing.sense(at.kind(), at.key(), caller));
    }

    @Tool(name = "rank_entities", description = "Entities ranked by one signal type's total current intensity "
            + "(decayed, summed over depositors), strongest first: where to look or work next.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = Sensed.class))
    ToolResponse rankEntities(
            @ToolArg(description = "signal type, e.g. importance") String type,
            @ToolArg(description = "only totals at or above this intensity, >= 0; default 0", defaultValue = "0") double minIntensity,
            @ToolArg(description = "only entities of this environment", required = false) String environment,
            @ToolArg(description = "only entities of this kind, e.g. job", required = false) String kind,
            @ToolArg(description = "at most this many entities, 1-1000; default 50", defaultValue = "50") int limit,
            @ToolArg(description = "leave out entities where this agent id has a visible pheromone of the type",
                    required = false) String excludeAgent,
            @ToolArg(description = "list at most this many depositor names per entity, 0-1000 (count still counts "
                    + "them all); default all", required = false) Integer depositorLimit) {
        RankQuery q = calls.valid(new RankQuery(type, minIntensity, environment, kind, limit, excludeAgent, depositorLimit));
        return calls.read(Addressed.environment(q.environment()), caller -> sensing.rank(q.type(), q.minIntensity(), q.environment(), q.kind(), q.limit(),
                q.excludeAgent(), q.depositorLimit(), caller));
    }

    @Tool(name = "deposit_pheromone", description = "Deposit a signal on an entity as yourself. A repeat deposit of "
            + "the same type folds decay in, then adds, capped at the type's maximum. Intensities are numbers > 0; "
            + "they decay by the type's policy (e.g. half-life in seconds).",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = PheromoneService.Deposited.class))
    ToolResponse depositPheromone(
            @ToolArg(description = LockTools.ENTITY) String entity,
            @ToolArg(description = "registered signal type, e.g. importance, workingonit, blocked") String type,
            @ToolArg(description = "added intensity, > 0; default 1.0", required = false) Double intensity,
            @ToolArg(description = "optional JSON value, at most 4096 bytes", required = false) JsonNode payload,
            @ToolArg(description = "half-life override in seconds (EXPONENTIAL types only), within the type's bounds",
                    required = false) Long halfLifeSeconds) {
        EntityAddress at = EntityAddress.parse(entity);
        Deposit request = calls.valid(new Deposit(type, intensity, payload, halfLifeSeconds));
        return calls.write(Addressed.entity(at), caller -> pheromones.deposit(at.kind(), at.key(), request, caller));
    }

    @Tool(name = "claim_pheromone", description = "Claim a pheromone (a request, say) so that only you act on it: "
            + "first responder wins. Answers the claim with its fencing token and expiresAt; renew by claiming "
            + "again. Claimed by another agent: an isError result naming the holder and expiresAt.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = ClaimView.class))
    ToolResponse claimPheromone(
            @ToolArg(description = "pheromone id, from sense_entity") long pheromoneId,
            @ToolArg(description = "lease length in seconds, 1-3600") long leaseSeconds) {
        Claim request = calls.valid(new Claim(leaseSeconds));
        return calls.write(Addressed.pheromone(pheromoneId), caller -> claims.claim(pheromoneId, request.leaseSeconds(), caller));
    }

    @Tool(name = "release_claim", description = "Release your claim on a pheromone, so that others may claim it.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = ClaimReleased.class))
    ToolResponse releaseClaim(@ToolArg(description = "pheromone id") long pheromoneId) {
        return calls.write(Addressed.pheromone(pheromoneId), caller -> {
            claims.release(pheromoneId, caller);
            return new ClaimReleased(pheromoneId, true);
        });
    }

    @Tool(name = "give_verdict", description = "Approve or reject a pheromone, as a role allowed to reinforce its "
            + "type (a validator checking completed work, say). Decay is folded in first; approval adds boost, "
            + "rejection subtracts penalty; the payload never changes.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = VerdictView.class))
    ToolResponse giveVerdict(
            @ToolArg(description = "pheromone id") long pheromoneId,
            @ToolArg(description = "true approves, false rejects") boolean approve,
            @ToolArg(description = "intensity added by an approval, 0 to the type's maximum; default 1.0",
                    required = false) Double boost,
            @ToolArg(description = "intensity removed by a rejection, 0 to the type's maximum; default 1.0",
                    required = false) Double penalty,
            @ToolArg(description = "push the signal's expiry later by this many seconds (EXPIRY and "
                    + "REINFORCEMENT_ONLY types), 1-2592000", required = false) Long extendSeconds,
            @ToolArg(description = "what prompted the verdict (a CI run, a review), at most 500 characters",
                    required = false) String trigger) {
        Verdict request = calls.valid(new Verdict(approve, boost, penalty, extendSeconds, trigger));
        return calls.write(Addressed.pheromone(pheromoneId), caller -> reinforcement.reinforce(pheromoneId, request, caller));
    }
}
