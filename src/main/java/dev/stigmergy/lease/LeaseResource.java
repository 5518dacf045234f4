package dev.stigmergy.lease;

import dev.stigmergy.caller.Caller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The agent heartbeat over HTTP. */
@Path("/agents/me/heartbeat")
@Tag(name = "agents")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class LeaseResource {

    private final LeaseService leases;
    private final Caller caller;

    public LeaseResource(LeaseService leases, Caller caller) {
        this.leases = leases;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "heartbeat",
            summary = "Renew every lease the calling agent holds (locks, intents, claims), each by its own length")
    @APIResponse(responseCode = "200", description = "What was renewed")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    public HeartbeatAnswer heartbeat() {
        return leases.heartbeat(caller);
    }
}
