package dev.stigmergy.mcp;

import dev.stigmergy.unlock.DecideUnlockRequest;
import dev.stigmergy.unlock.RequestUnlock;
import dev.stigmergy.unlock.UnlockRequestService;
import dev.stigmergy.unlock.UnlockRequestView;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * Unlock-request tools (DESIGN.md §3): adapters over {@link UnlockRequestService}, as the unlock-request
 * resources call it.
 */
public class UnlockTools {

    private final UnlockRequestService requests;
    private final ToolCalls calls;

    public UnlockTools(UnlockRequestService requests, ToolCalls calls) {
        this.requests = requests;
        this.calls = calls;
    }

    @Tool(name = "request_unlock", description = "Ask the holder of a hold you need to release it, with a reason: "
            + "either the lock on an entity (give entity) or another agent's intent (give intentId, as "
            + "check_files names it). With handover true, approval hands the hold to you with a new fencing token. "
            + "Repeating the request returns the pending one (created=false). The holder answers with "
            + "answer_unlock_request; see my_holds.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = UnlockRequestService.Requested.class))
    ToolResponse requestUnlock(
            @ToolArg(description = "why you need the hold, 1-1000 characters") String reason,
            @ToolArg(description = "the locked entity, kind/key; give this or intentId", required = false) String entity,
            @ToolArg(description = "the held intent's id; give this or entity", required = false) Long intentId,
            @ToolArg(description = "on approval, hand the hold to you (new fencing token); default false: approval "
                    + "only releases it", required = false) Boolean handover,
            @ToolArg(description = "how long the request waits for a decision, in seconds, 1 to the configured "
                    + "maximum; default 900", required = false) Integer ttlSeconds) {
        if ((entity == null) == (intentId == null)) {
            throw ToolCalls.invalidParams("entity", "give exactly one of entity (a lock) and intentId (an intent)");
        }
        RequestUnlock request = calls.valid(new RequestUnlock(reason, handover, ttlSeconds));
        if (entity != null) {
            EntityAddress at = EntityAddress.parse(entity);
            return calls.write(Addressed.entity(at), caller -> requests.requestLock(at.kind(), at.key(), request, caller));
        }
        return calls.write(Addressed.intent(intentId), caller -> requests.requestIntent(intentId, request, caller));
    }

    @Tool(name = "answer_unlock_request", description = "As the holder, decide an unlock request addressed to you "
            + "(my_holds lists them). approve releases your hold at once, or hands it over to the requester when "
            + "it asked for handover (it gets a new fencing token: stop writing under yours); reject keeps it.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = UnlockRequestView.class))
    ToolResponse answerUnlockRequest(
            @ToolArg(description = "unlock request id") long requestId,
            @ToolArg(description = "approve or reject") String decision,
            @ToolArg(description = "your note to the requester, at most 1000 characters", required = false) String note) {
        DecideUnlockRequest request = calls.valid(new DecideUnlockRequest(note));
        return switch (decision == null ? "" : decision) {
            case "approve" -> calls.write(Addressed.unlockRequest(requestId), caller -> requests.approve(requestId, request.note(), caller));
            case "reject" -> calls.write(Addressed.unlockRequest(requestId), caller -> requests.reject(requestId, request.note(), caller));
            default -> throw ToolCalls.invalidParams("decision", "must be approve or reject");
        };
    }
}
