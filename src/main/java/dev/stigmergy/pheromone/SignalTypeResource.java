package dev.stigmergy.pheromone;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import jakarta.ws.rs.core.MediaType;

/** The signal-type registry over HTTP. */
@Path("/signal-types")
@Tag(name = "pheromones", description = "Typed signals with mandatory decay, reinforcement, claims and role slices")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class SignalTypeResource {

    private final SignalTypeService types;
    private final Caller caller;

    public SignalTypeResource(SignalTypeService types, Caller caller) {
        this.types = types;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listSignalTypes", summary = "List signal types with their decay policies, ordered by name")
    @APIResponse(responseCode = "200", description = "Every signal type")
    public List<SignalTypeView> list() {
        return types.list();
    }

    @POST
    @ResponseStatus(201)
    @Operation(operationId = "registerSignalType", summary = "Register a signal type; a decay policy is mandatory")
    @APIResponse(responseCode = "201", description = "Registered; a name that is not lower_snake is refused (400)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SignalTypeView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public SignalTypeView register(@NotNull @Valid RegisterSignalType request) {
        return types.register(request, caller);
    }

    @GET
    @Path("{name}")
    @Operation(operationId = "getSignalType", summary = "One signal type")
    @APIResponse(responseCode = "200", description = "The signal type")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public SignalTypeView get(@PathParam("name") @Size(max = 64) String name) {
        return types.get(name);
    }

    @PUT
    @Path("{name}")
    @Operation(operationId = "replaceSignalType",
            summary = "Replace a signal type's settings (admin or registrant); the decay kind is fixed while in use")
    @APIResponse(responseCode = "200", description = "Replaced")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public SignalTypeView replace(@PathParam("name") @Size(max = 64) String name,
                                  @NotNull @Valid RegisterSignalType request) {
        return types.replace(name, request, caller);
    }

    @DELETE
    @Path("{name}")
    @ResponseStatus(204)
    @Operation(operationId = "deleteSignalType", summary = "Delete an unused, non-built-in signal type (admin or registrant)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public void delete(@PathParam("name") @Size(max = 64) String name) {
        types.delete(name, caller);
    }
}
