package dev.stigmergy.entity;

import dev.stigmergy.agent.AdminOnly;
import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import jakarta.ws.rs.core.MediaType;

/** Entity kinds and entities over HTTP. */
@Path("/")
@Tag(name = "entities", description = "Coordinated things addressed as {kind}/{key}")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class EntityResource {

    private final EntityService entities;
    private final Caller caller;

    public EntityResource(EntityService entities, Caller caller) {
        this.entities = entities;
        this.caller = caller;
    }

    @GET
    @Path("entity-kinds")
    @Operation(operationId = "listEntityKinds", summary = "List entity kinds, ordered by name")
    @APIResponse(responseCode = "200", description = "Every kind")
    public List<EntityKindView> kinds() {
        return entities.kinds();
    }

    @POST
    @Path("entity-kinds")
    @ResponseStatus(201)
    @Operation(operationId = "registerEntityKind", summary = "Register an entity kind (admin)")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityKindView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @AdminOnly("registering an entity kind")
    public EntityKindView registerKind(@NotNull @Valid RegisterEntityKind request) {
        return entities.registerKind(request, caller);
    }

    @PUT
    @Path("entities/{kind}/{key}")
    @Operation(operationId = "putEntity", summary = "Create an entity, or update its title and status")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "200", description = "Updated",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EntityView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response put(@PathParam("kind") @Pattern(regexp = EntityService.KIND, message = EntityService.KIND_MESSAGE) String kind,
                        @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                        @NotNull @Valid PutEntity request) {
        EntityService.Put put = entities.put(kind, key, request, caller);
        return Response.status(put.created() ? 201 : 200).entity(put.entity()).build();
    }

    @GET
    @Path("entities/{kind}/{key}")
    @Operation(operationId = "getEntity", summary = "One entity")
    @APIResponse(responseCode = "200", description = "The entity")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public EntityView get(@PathParam("kind") @Pattern(regexp = EntityService.KIND, message = EntityService.KIND_MESSAGE) String kind,
                          @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key) {
        return entities.get(kind, key);
    }

    @GET
    @Path("entities")
    @Operation(operationId = "listEntities", summary = "Page through entities ordered by address")
    @APIResponse(responseCode = "200", description = "A page; pass nextAfter as after to read on")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public EntityPage list(@QueryParam("environment") @Size(max = 64) String environment,
                           @QueryParam("kind") @Size(max = 40) String kind,
                           @QueryParam("status") @Size(max = 32) String status,
                           @QueryParam("after") @Size(max = 200) String after,
                           @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return entities.list(environment, kind, status, after, limit, caller);
    }
}
