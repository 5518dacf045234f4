package dev.stigmergy.mcp;

import dev.stigmergy.lock.AcquireLock;
import dev.stigmergy.lock.LockGrant;
import dev.stigmergy.lock.LockService;
import dev.stigmergy.lock.RenewLock;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;

/** Lock tools (DESIGN.md §3): adapters over {@link LockService}, as {@code LockResource} calls it. */
public class LockTools {

    static final String ENTITY = "entity address kind/key, e.g. job/COD2-5";

    private final LockService locks;
    private final ToolCalls calls;

    public LockTools(LockService locks, ToolCalls calls) {
        this.locks = locks;
        this.calls = calls;
    }

    @Tool(name = "acquire_lock", description = "Take the exclusive, leased lock on an entity before working on it. "
            + "Granted: a new fencing token (send it with writes so stale holders are recognised) and expiresAt (UTC); "
            + "granted=false means you already held it and it was renewed. Held by another agent: an isError result "
            + "naming the holder, its fencingToken and expiresAt; then pick other work or call request_unlock.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = LockService.Acquired.class))
    ToolResponse acquireLock(
            @ToolArg(description = ENTITY) String entity,
            @ToolArg(description = "lease length in seconds, 1 to 3600 (configurable); renew before it lapses, "
                    + "or send heartbeat") int leaseSeconds,
            @ToolArg(description = "free text shown to other agents, at most 1000 characters", required = false) String reason) {
        EntityAddress at = EntityAddress.parse(entity);
        AcquireLock request = calls.valid(new AcquireLock(leaseSeconds, reason));
        return calls.write(Addressed.entity(at), caller -> locks.acquire(at.kind(), at.key(), request, caller));
    }

    @Tool(name = "renew_lock", description = "The holder extends its lock's lease from now; the fencing token stays. "
            + "Not the holder, or the lock lapsed: an isError result.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = LockGrant.class))
    ToolResponse renewLock(
            @ToolArg(description = ENTITY) String entity,
            @ToolArg(description = "new lease length in seconds from now, 1 to 3600; default the lock's own lease length",
                    required = false) Integer leaseSeconds) {
        EntityAddress at = EntityAddress.parse(entity);
        RenewLock request = calls.valid(new RenewLock(leaseSeconds));
        return calls.write(Addressed.entity(at), caller -> locks.renew(at.kind(), at.key(), request.leaseSeconds(), caller));
    }

    @Tool(name = "release_lock", description = "The holder releases its lock when its work on the entity is done; "
            + "answers the grant as it ended. Pending unlock requests on it become OBSOLETE.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = LockGrant.class))
    ToolResponse releaseLock(@ToolArg(description = ENTITY) String entity) {
        EntityAddress at = EntityAddress.parse(entity);
        return calls.write(Addressed.entity(at), caller -> locks.release(at.kind(), at.key(), caller));
    }
}
