package dev.stigmergy.unlock;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Unlock requests by id: read, approve, reject, withdraw; and lists by holder or requester. */
@Path("/unlock-requests")
@Tag(name = "unlock-requests")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class UnlockRequestResource {

    private final UnlockRequestService requests;
    private final Caller caller;

    public UnlockRequestResource(UnlockRequestService requests, Caller caller) {
        this.requests = requests;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listUnlockRequests", summary = "Unlock requests, newest first, by holder, requester, entity and status")
    @APIResponse(responseCode = "200", description = "The requests")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<UnlockRequestView> list(@Parameter(description = "entity address kind/key") @QueryParam("entity") @Size(max = 200) String entity,
                                        @Parameter(description = "holder agent id") @QueryParam("holder") @Size(max = 64) String holder,
                                        @Parameter(description = "requester agent id") @QueryParam("requester") @Size(max = 64) String requester,
                                        @Parameter(description = "PENDING, APPROVED, REJECTED, WITHDRAWN, EXPIRED or OBSOLETE") @QueryParam("status") @Size(max = 20) String status,
                                        @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return requests.list(entity, holder, requester, UnlockRequestStatus.parse(status), limit, caller);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getUnlockRequest", summary = "One unlock request")
    @APIResponse(responseCode = "200", description = "The request")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public UnlockRequestView get(@PathParam("id") long id) {
        return requests.get(id);
    }

    @POST
    @Path("{id}/approve")
    @Operation(operationId = "approveUnlockRequest",
            summary = "The holder approves: its hold is released, or handed over to the requester with a new fencing token, in one step")
    @APIResponse(responseCode = "200", description = "APPROVED")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public UnlockRequestView approve(@PathParam("id") long id, @Valid DecideUnlockRequest decision) {
        return requests.approve(id, decision == null ? null : decision.note(), caller);
    }

    @POST
    @Path("{id}/reject")
    @Operation(operationId = "rejectUnlockRequest", summary = "The holder rejects; it keeps its hold")
    @APIResponse(responseCode = "200", description = "REJECTED")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public UnlockRequestView reject(@PathParam("id") long id, @Valid DecideUnlockRequest decision) {
        return requests.reject(id, decision == null ? null : decision.note(), caller);
    }

    @POST
    @Path("{id}/withdraw")
    @Operation(operationId = "withdrawUnlockRequest", summary = "The requester withdraws its request")
    @APIResponse(responseCode = "200", description = "WITHDRAWN")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public UnlockRequestView withdraw(@PathParam("id") long id) {
        return requests.withdraw(id, caller);
    }
}
