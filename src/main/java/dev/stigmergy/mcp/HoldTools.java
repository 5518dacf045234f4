package dev.stigmergy.mcp;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.intent.IntentView;
import dev.stigmergy.lease.HeartbeatAnswer;
import dev.stigmergy.lease.LeaseService;
import dev.stigmergy.lock.LockGrant;
import dev.stigmergy.lock.LockService;
import dev.stigmergy.pheromone.ClaimService;
import dev.stigmergy.pheromone.ClaimView;
import dev.stigmergy.unlock.UnlockRequestService;
import dev.stigmergy.unlock.UnlockRequestStatus;
import dev.stigmergy.unlock.UnlockRequestView;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolResponse;

import java.util.List;

/** The caller's own holds: {@code heartbeat} over {@link LeaseService}, and {@code my_holds}. */
public class HoldTools {

    /** At most this many of each kind in {@code my_holds}. */
    static final int LIMIT = 1000;

    /**
     * What the calling agent holds and must act on.
     *
     * @param agent          the calling agent
     * @param locks          its live locks
     * @param intents        its active intents, in every environment
     * @param claims         its live pheromone claims
     * @param toDecide       pending unlock requests addressed to it, as holder: answer them
     * @param requested      its own pending unlock requests, as requester
     */
    public record MyHolds(String agent, List<LockGrant> locks, List<IntentView> intents, List<ClaimView> claims,
                          List<UnlockRequestView> toDecide, List<UnlockRequestView> requested) {
    }

    private final LeaseService leases;
    private final LockService locks;
    private final IntentService intents;
    private final EnvironmentService environments;
    private final ClaimService claims;
    private final UnlockRequestService requests;
    private final ToolCalls calls;

    public HoldTools(LeaseService leases, LockService locks, IntentService intents, EnvironmentService environments,
                     ClaimService claims, UnlockRequestService requests, ToolCalls calls) {
        this.leases = leases;
        this.locks = locks;
        this.intents = intents;
        this.environments = environments;
        this.claims = claims;
        this.requests = requests;
        this.calls = calls;
    }

    @Tool(name = "heartbeat", description = "Renew every lease you hold at once (locks, intents, claims), each by "
            + "its own lease length in seconds from now. Send it more often than your shortest lease while you "
            + "work; if you stop, your holds lapse by themselves.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = HeartbeatAnswer.class))
    ToolResponse heartbeat() {
        return calls.write(Addressed.NOTHING, leases::heartbeat);
    }

    @Tool(name = "my_holds", description = "What you hold now: live locks, active intents, pheromone claims, "
            + "pending unlock requests addressed to you (answer them with answer_unlock_request) and your own "
            + "pending requests. Times are UTC; each hold lapses at its expiresAt unless renewed.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = MyHolds.class))
    ToolResponse myHolds() {
        return calls.read(Addressed.NOTHING, this::holdsOf);
    }

    /** The holds of the calling agent, each list by the read its REST listing makes. */
    MyHolds holdsOf(Caller caller) {
        String me = caller.agentId();
        List<IntentView> active = environments.list().stream().map(EnvironmentView::name)
                .flatMap(env -> intents.list(env, me, null, "ACTIVE", null, LIMIT).stream()).toList();
        return new MyHolds(me, locks.list(null, me, LIMIT, caller), active, claims.heldBy(me, LIMIT),
                requests.list(null, me, null, UnlockRequestStatus.PENDING, LIMIT, caller),
                requests.list(null, null, me, UnlockRequestStatus.PENDING, LIMIT, caller));
    }
}
