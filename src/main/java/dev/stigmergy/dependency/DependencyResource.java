package dev.stigmergy.dependency;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code depends-on} links of one entity over HTTP. */
@Path("/entities/{kind}/{key}/dependencies")
@Tag(name = "dependencies", description = "depends-on links between entities of one environment")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class DependencyResource {

    private static final String KIND = "[a-z][a-z0-9-]{0,39}";
    private static final String KEY = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
    private static final String KIND_MESSAGE = "must be 1-40 of a-z 0-9 - starting with a letter";
    private static final String KEY_MESSAGE = "must be 1-128 of A-Z a-z 0-9 . _ - starting with a letter or digit";

    private final DependencyService dependencies;
    private final Caller caller;

    public DependencyResource(DependencyService dependencies, Caller caller) {
        this.dependencies = dependencies;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "addDependency",
            summary = "Make the entity depend on another of its environment (it is ready only once that one is done)")
    @APIResponse(responseCode = "201", description = "Added",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DependencyLink.class)))
    @APIResponse(responseCode = "200", description = "The link existed already",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DependencyLink.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response add(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind,
                        @PathParam("key") @Pattern(regexp = KEY, message = KEY_MESSAGE) String key,
                        @NotNull @Valid AddDependency request) {
        DependencyService.Added added = dependencies.add(kind, key, request, caller);
        return Response.status(added.created() ? 201 : 200).entity(added.link()).build();
    }

    @GET
    @Operation(operationId = "getDependencies", summary = "The entity's links in both directions, with what is done")
    @APIResponse(responseCode = "200", description = "The links",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DependencyView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public DependencyView links(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind,
                                @PathParam("key") @Pattern(regexp = KEY, message = KEY_MESSAGE) String key) {
        return dependencies.links(kind, key);
    }

    @DELETE
    @Path("{dependsOnKind}/{dependsOnKey}")
    @Operation(operationId = "removeDependency", summary = "Remove the link to the entity it depends on")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public void remove(@PathParam("kind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String kind,
                       @PathParam("key") @Pattern(regexp = KEY, message = KEY_MESSAGE) String key,
                       @PathParam("dependsOnKind") @Pattern(regexp = KIND, message = KIND_MESSAGE) String dependsOnKind,
                       @PathParam("dependsOnKey") @Pattern(regexp = KEY, message = KEY_MESSAGE) String dependsOnKey) {
        dependencies.remove(kind, key, dependsOnKind + "/" + dependsOnKey, caller);
    }
}
