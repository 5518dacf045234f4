package dev.stigmergy.unlock;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import jakarta.ws.rs.core.MediaType;

/** Unlock requests against the lock on an entity. */
@Path("/entities/{kind}/{key}/lock/unlock-requests")
@Tag(name = "unlock-requests", description = "Structured requests that a holder release its hold")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class LockUnlockRequestResource {

    private final UnlockRequestService requests;
    private final Caller caller;

    public LockUnlockRequestResource(UnlockRequestService requests, Caller caller) {
        this.requests = requests;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "requestUnlock",
            summary = "Ask the holder of an entity's lock to release it, or to hand it over to the caller")
    @APIResponse(responseCode = "201", description = "Created, PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnlockRequestView.class)))
    @APIResponse(responseCode = "200", description = "The caller's request on this hold was already pending: that one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnlockRequestView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response request(@PathParam("kind") @Size(max = 40) String kind,
                            @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                            @NotNull @Valid RequestUnlock request) {
        UnlockRequestService.Requested requested = requests.requestLock(kind, key, request, caller);
        return Response.status(requested.created() ? 201 : 200).entity(requested.request()).build();
    }

    @GET
    @Operation(operationId = "listLockUnlockRequests", summary = "Unlock requests on an entity's locks, newest first")
    @APIResponse(responseCode = "200", description = "The requests")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<UnlockRequestView> list(@PathParam("kind") @Size(max = 40) String kind,
                                        @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                                        @Parameter(description = "PENDING, APPROVED, REJECTED, WITHDRAWN, EXPIRED or OBSOLETE") @QueryParam("status") @Size(max = 20) String status,
                                        @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return requests.listOn(kind, key, UnlockRequestStatus.parse(status), limit, caller);
    }
}
