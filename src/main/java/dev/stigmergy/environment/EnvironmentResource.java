package dev.stigmergy.environment;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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

/** Environments over HTTP. */
@Path("/")
@Tag(name = "environments", description = "Workspaces: a git repository plus its entities and signals")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class EnvironmentResource {

    private final EnvironmentService environments;
    private final Caller caller;

    public EnvironmentResource(EnvironmentService environments, Caller caller) {
        this.environments = environments;
        this.caller = caller;
    }

    @POST
    @Path("environments")
    @ResponseStatus(201)
    @Operation(operationId = "createEnvironment", summary = "Create an environment (admin or maintainer)")
    @APIResponse(responseCode = "201", description = "Created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EnvironmentView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public EnvironmentView create(@NotNull @Valid CreateEnvironment request) {
        return environments.create(request, caller);
    }

    @GET
    @Path("environments")
    @Operation(operationId = "listEnvironments", summary = "List environments, ordered by name")
    @APIResponse(responseCode = "200", description = "Every environment")
    public List<EnvironmentView> list() {
        return environments.list();
    }

    @GET
    @Path("environments/{name}")
    @Operation(operationId = "getEnvironment", summary = "One environment")
    @APIResponse(responseCode = "200", description = "The environment")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public EnvironmentView get(@PathParam("name") String name) {
        return environments.get(name);
    }
}
