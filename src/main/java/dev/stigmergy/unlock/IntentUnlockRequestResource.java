package dev.stigmergy.unlock;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import jakarta.ws.rs.core.MediaType;

/** Unlock requests against a file-update intent's files. */
@Path("/intents/{id}/unlock-requests")
@Tag(name = "unlock-requests")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class IntentUnlockRequestResource {

    private final UnlockRequestService requests;
    private final Caller caller;

    public IntentUnlockRequestResource(UnlockRequestService requests, Caller caller) {
        this.requests = requests;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "requestIntentUnlock",
            summary = "Ask the holder of an active intent to release its files, or to hand them over to the caller")
    @APIResponse(responseCode = "201", description = "Created, PENDING",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnlockRequestView.class)))
    @APIResponse(responseCode = "200", description = "The caller's request on this intent was already pending: that one",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UnlockRequestView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response request(@PathParam("id") long id, @NotNull @Valid RequestUnlock request) {
        UnlockRequestService.Requested requested = requests.requestIntent(id, request, caller);
        return Response.status(requested.created() ? 201 : 200).entity(requested.request()).build();
    }
}
