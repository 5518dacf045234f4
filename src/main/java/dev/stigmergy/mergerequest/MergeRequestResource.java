package dev.stigmergy.mergerequest;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Merge requests bound to branches and the conflict radar, over HTTP. */
@Path("/")
@Tag(name = "merge-requests", description = "Merge requests bound to branches and the conflict radar between them")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class MergeRequestResource {

    private final MergeRequestService mergeRequests;
    private final ConflictRadar radar;
    private final Caller caller;

    public MergeRequestResource(MergeRequestService mergeRequests, ConflictRadar radar, Caller caller) {
        this.mergeRequests = mergeRequests;
        this.radar = radar;
        this.caller = caller;
    }

    @PUT
    @Path("environments/{environment}/merge-requests/{key}")
    @Operation(operationId = "putMergeRequest",
            summary = "Create or update merge-request/{key} bound to a source and a target ref; open, merged or closed")
    @APIResponse(responseCode = "201", description = "Created and compared with the other open merge requests",
            content = @Content(schema = @Schema(implementation = MergeRequestView.class)))
    @APIResponse(responseCode = "200", description = "Updated",
            content = @Content(schema = @Schema(implementation = MergeRequestView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response put(@PathParam("environment") @Size(max = 64) String environment,
                        @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                        @NotNull @Valid PutMergeRequest request) {
        MergeRequestService.Put put = mergeRequests.put(environment, key, request, caller);
        return Response.status(put.created() ? 201 : 200).entity(put.mergeRequest()).build();
    }

    @GET
    @Path("environments/{environment}/merge-requests")
    @Operation(operationId = "listMergeRequests", summary = "Merge requests bound to branches, by key")
    @APIResponse(responseCode = "200", description = "The merge requests")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<MergeRequestView> list(@PathParam("environment") @Size(max = 64) String environment,
                                       @QueryParam("open") @DefaultValue("false") boolean openOnly) {
        return mergeRequests.list(environment, openOnly);
    }

    @GET
    @Path("environments/{environment}/merge-requests/conflicts")
    @Operation(operationId = "mergeRequestConflicts",
            summary = "The conflict matrix: open merge requests and each pair on one target that would conflict or whose hunks collide")
    @APIResponse(responseCode = "200", description = "The matrix as last computed")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ConflictMatrix conflicts(@PathParam("environment") @Size(max = 64) String environment) {
        return mergeRequests.conflicts(environment);
    }

    @POST
    @Path("environments/{environment}/refs")
    @Operation(operationId = "refsMoved",
            summary = "Refs moved (a post-receive hook or CI calls this): read them now and recompute the moved merge requests' pairs")
    @APIResponse(responseCode = "200", description = "What moved and which pairs were recomputed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public RefsRead refsMoved(@PathParam("environment") @Size(max = 64) String environment) {
        return radar.refresh(environment);
    }
}
