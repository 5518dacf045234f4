package dev.stigmergy.agent;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import jakarta.ws.rs.core.MediaType;

/** Agents and roles over HTTP. */
@Path("/")
@Tag(name = "agents", description = "Agent identities, bearer tokens and roles")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class AgentResource {

    private final AgentService agents;
    private final AgentAdministration administration;
    private final Caller caller;

    public AgentResource(AgentService agents, AgentAdministration administration, Caller caller) {
        this.administration = administration;
        this.agents = agents;
        this.caller = caller;
    }

    @POST
    @Path("agents")
    @ResponseStatus(201)
    @Operation(operationId = "registerAgent", summary = "Register an agent (admin); answers its bearer token, shown once")
    @APIResponse(responseCode = "201", description = "Registered; the token is not shown again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentRegistration.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @AdminOnly("registering an agent")
    public AgentRegistration register(@NotNull @Valid RegisterAgent request) {
        return administration.register(request, caller);
    }

    @GET
    @Path("agents")
    @Operation(operationId = "listAgents", summary = "Page through agents ordered by id, each with its liveness "
            + "(active, idle, gone) derived from its heartbeats and holds")
    @APIResponse(responseCode = "200", description = "A page; pass nextAfter as after to read on")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public AgentPage list(@Parameter(description = "nextAfter of the previous page (an agent id)") @QueryParam("after") @Size(max = 64) String after,
                          @Parameter(description = "page size, 1-1000") @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return agents.listWithLiveness(after, limit);
    }

    @POST
    @Path("agents/{id}/token/revoke")
    @Operation(operationId = "revokeAgentToken", summary = "Revoke the agent's token (admin): it answers 401 from now on")
    @APIResponse(responseCode = "200", description = "Revoked; the agent as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AgentView revokeToken(@PathParam("id") String id) {
        return administration.revokeToken(id, caller);
    }

    @POST
    @Path("agents/{id}/token/rotate")
    @Operation(operationId = "rotateAgentToken", summary = "Rotate the agent's token (admin): a new token, shown once; "
            + "the old one stays valid for graceSeconds (default 300)")
    @APIResponse(responseCode = "200", description = "Rotated; the new token is not shown again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentRegistration.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public AgentRegistration rotateToken(@PathParam("id") String id, @Valid RotateToken request) {
        return administration.rotateToken(id, request, caller);
    }

    @POST
    @Path("agents/{id}/deactivate")
    @Operation(operationId = "deactivateAgent", summary = "Deactivate an agent (admin): its token answers 401 from now "
            + "on and each of its locks, intents and claims is released through the normal path, with its events")
    @APIResponse(responseCode = "200", description = "Deactivated (or already so); the agent as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @AdminOnly("deactivating an agent")
    public AgentView deactivate(@PathParam("id") String id) {
        return administration.deactivate(id, caller);
    }

    @PUT
    @Path("agents/{id}/environments")
    @Operation(operationId = "setAgentEnvironments", summary = "Limit the agent to a list of environments, or lift the "
            + "limit with environments null or empty (admin); outside them its calls answer 403 and they do not show in its "
            + "listings or streams")
    @APIResponse(responseCode = "200", description = "Changed; the agent as it is now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @AdminOnly("changing an agent's environments")
    public AgentView setEnvironments(@PathParam("id") String id, @NotNull @Valid SetEnvironmentScope request) {
        return administration.setEnvironments(id, request, caller);
    }

    @GET
    @Path("agents/me")
    @Operation(operationId = "getCurrentAgent", summary = "The calling agent and the role this call acts as")
    @APIResponse(responseCode = "200", description = "The token's agent")
    public CurrentAgent me() {
        return new CurrentAgent(agents.get(caller.agentId()), caller.actingRole());
    }

    @GET
    @Path("agents/{id}")
    @Operation(operationId = "getAgent", summary = "One agent")
    @APIResponse(responseCode = "200", description = "The agent")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public AgentView get(@PathParam("id") String id) {
        return agents.getWithLiveness(id);
    }

    @POST
    @Path("roles")
    @ResponseStatus(201)
    @Operation(operationId = "registerRole", summary = "Register a role (admin); its slice is set by PUT /roles/{name}/slice")
    @APIResponse(responseCode = "201", description = "Registered",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RoleView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @AdminOnly("registering a role")
    public RoleView registerRole(@NotNull @Valid RegisterRole request) {
        return administration.registerRole(request, caller);
    }

    @GET
    @Path("roles")
    @Tag(name = "agents")
    @Operation(operationId = "listRoles", summary = "List registered roles")
    @APIResponse(responseCode = "200", description = "Every role")
    public List<RoleView> roles() {
        return agents.roles();
    }
}
