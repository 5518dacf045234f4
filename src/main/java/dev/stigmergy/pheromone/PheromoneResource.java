package dev.stigmergy.pheromone;

import dev.stigmergy.agent.AdminOnly;
import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import jakarta.ws.rs.core.MediaType;

/** Deposit, sensing, verdicts, claims and role slices over HTTP. */
@Path("/")
@Tag(name = "pheromones")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class PheromoneResource {

    private final PheromoneService pheromones;
    private final PheromoneSensing sensing;
    private final ReinforcementService reinforcement;
    private final ClaimService claims;
    private final RoleSliceService slices;
    private final Caller caller;

    public PheromoneResource(PheromoneService pheromones, PheromoneSensing sensing, ReinforcementService reinforcement,
                             ClaimService claims, RoleSliceService slices, Caller caller) {
        this.pheromones = pheromones;
        this.sensing = sensing;
        this.reinforcement = reinforcement;
        this.claims = claims;
        this.slices = slices;
        this.caller = caller;
    }

    @POST
    @Path("entities/{kind}/{key}/pheromones")
    @Operation(operationId = "depositPheromone",
            summary = "Deposit a pheromone as the calling agent; a repeat folds decay in, adds and caps")
    @APIResponse(responseCode = "201", description = "First deposit of this type by this agent on the entity",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PheromoneView.class)))
    @APIResponse(responseCode = "200", description = "Repeat deposit, folded into the existing pheromone",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PheromoneView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Response deposit(@PathParam("kind") @Size(max = 40) String kind, @PathParam("key") @Size(max = 128) String key,
                            @NotNull @Valid Deposit request) {
        PheromoneService.Deposited d = pheromones.deposit(kind, key, request, caller);
        return Response.status(d.created() ? 201 : 200).entity(d.pheromone()).build();
    }

    @GET
    @Path("entities/{kind}/{key}/pheromones")
    @Operation(operationId = "senseEntity",
            summary = "Sense an entity: visible pheromones of the types the acting role reads, raw and per type")
    @APIResponse(responseCode = "200", description = "Computed at the time of the read")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public EntityPheromones sense(@PathParam("kind") @Size(max = 40) String kind,
                                  @PathParam("key") @Size(max = 128) String key) {
        return sensing.sense(kind, key, caller);
    }

    @GET
    @Path("pheromones/ranking")
    @Operation(operationId = "rankEntities", summary = "Entities ranked by one type's aggregated current intensity")
    @APIResponse(responseCode = "200", description = "Strongest first")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    public Sensed rank(@QueryParam("type") @NotBlank @Size(max = 64) String type,
                       @QueryParam("minIntensity") @DefaultValue("0") @DecimalMin("0") double minIntensity,
                       @QueryParam("environment") @Size(max = 64) String environment,
                       @QueryParam("kind") @Size(max = 40) String kind,
                       @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(1000) int limit,
                       @QueryParam("excludeAgent") @Size(max = 64) String excludeAgent,
                       @Parameter(description = "List at most this many depositor names per aggregate (the first in"
                               + " name order; count still counts them all); 0 lists none. Absent: all of them")
                       @QueryParam("depositorLimit") @Min(0) @Max(1000) Integer depositorLimit) {
        return sensing.rank(type, minIntensity, environment, kind, limit, excludeAgent, depositorLimit, caller);
    }

    @GET
    @Path("pheromones/slice")
    @Operation(operationId = "senseSlice", summary = "The acting role's local query: its slice of the medium")
    @APIResponse(responseCode = "200", description = "Aggregates per (entity, type), strongest first")
    public Sensed slice() {
        return sensing.senseSlice(caller);
    }

    @GET
    @Path("pheromones/{id}")
    @Operation(operationId = "getPheromone", summary = "One pheromone as sensed now")
    @APIResponse(responseCode = "200", description = "The pheromone")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public PheromoneView get(@PathParam("id") long id) {
        return sensing.get(id, caller);
    }

    @DELETE
    @Path("pheromones/{id}")
    @ResponseStatus(204)
    @Operation(operationId = "removePheromone", summary = "Remove the caller's own deposit")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public void remove(@PathParam("id") long id) {
        pheromones.remove(id, caller);
    }

    @POST
    @Path("pheromones/{id}/verdicts")
    @ResponseStatus(201)
    @Operation(operationId = "reinforcePheromone",
            summary = "Approve or reject a pheromone (roles allowed to reinforce its type); decay is folded in first")
    @APIResponse(responseCode = "201", description = "Verdict recorded",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = VerdictView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public VerdictView reinforce(@PathParam("id") long id, @NotNull @Valid Verdict request) {
        return reinforcement.reinforce(id, request, caller);
    }

    @POST
    @Path("pheromones/{id}/claim")
    @Operation(operationId = "claimPheromone",
            summary = "Claim a pheromone (first responder wins) or renew the caller's claim")
    @APIResponse(responseCode = "200", description = "Claimed or renewed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public ClaimView claim(@PathParam("id") long id, @NotNull @Valid Claim request) {
        return claims.claim(id, request.leaseSeconds(), caller);
    }

    @DELETE
    @Path("pheromones/{id}/claim")
    @ResponseStatus(204)
    @Operation(operationId = "releasePheromoneClaim", summary = "Release the caller's claim")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public void release(@PathParam("id") long id) {
        claims.release(id, caller);
    }

    @GET
    @Path("roles/{role}/slice")
    @Operation(operationId = "getRoleSlice", summary = "A role's slice: types it reads, writes, reinforces; its local query")
    @APIResponse(responseCode = "200", description = "The slice")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public RoleSliceView roleSlice(@PathParam("role") @Size(max = 32) String role) {
        return slices.slice(role);
    }

    @PUT
    @Path("roles/{role}/slice")
    @Operation(operationId = "putRoleSlice", summary = "Replace a role's slice (admin)")
    @APIResponse(responseCode = "200", description = "The new slice")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @AdminOnly("changing a role's slice")
    public RoleSliceView putRoleSlice(@PathParam("role") @Size(max = 32) String role,
                                      @NotNull @Valid RoleSliceView request) {
        return slices.put(role, request, caller);
    }
}
