package dev.stigmergy.intent;

import dev.stigmergy.caller.Caller;
import jakarta.validation.Valid;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import jakarta.ws.rs.core.MediaType;

/** File-update intents over HTTP. */
@Path("/")
@Tag(name = "intents", description = "File-update intents L1-L4 with overlap checks")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class IntentResource {

    private final IntentService intents;
    private final IntentDeclaration declarations;
    private final GitAwareness git;
    private final Caller caller;

    public IntentResource(IntentService intents, IntentDeclaration declarations, GitAwareness git, Caller caller) {
        this.intents = intents;
        this.declarations = declarations;
        this.git = git;
        this.caller = caller;
    }

    @POST
    @Path("environments/{environment}/edit-overlaps")
    @Operation(operationId = "editOverlaps",
            summary = "Compare refs pairwise: merge base, files both change, colliding hunks, trial merge")
    @APIResponse(responseCode = "200", description = "One report per pair of refs")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public EditOverlaps editOverlaps(@PathParam("environment") @Size(max = 64) String environment,
                                     @NotNull @Valid CompareRefs request) {
        return git.editOverlaps(environment, request);
    }

    @POST
    @Path("environments/{environment}/verify")
    @Operation(operationId = "verifyChanges",
            summary = "For hooks: do these staged hunks, paths or this commit range collide with what another agent holds at L3/L4?")
    @APIResponse(responseCode = "200", description = "ok, or the blocked paths with their holds")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Verification verify(@PathParam("environment") @Size(max = 64) String environment,
                               @NotNull @Valid VerifyChanges request) {
        return git.verify(environment, request, caller);
    }

    @POST
    @Path("environments/{environment}/intents")
    @Operation(operationId = "declareIntent", summary = "Declare an intent: overlap checked and intent created in one transaction")
    @APIResponse(responseCode = "201", description = "Created; the decision lists granted, warning and denied (partial) files",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntentDecision.class)))
    @APIResponse(responseCode = "200", description = "Dry run: the decision, nothing created",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IntentDecision.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", description = "Denied; member `decision` holds the full report",
            content = @Content(mediaType = "application/problem+json", schema = @Schema(ref = "Problem")))
    public Response declare(@PathParam("environment") @Size(max = 64) String environment,
                            @NotNull @Valid DeclareIntent request) {
        IntentDeclaration.Declared declared = declarations.declare(environment, request, caller);
        if (declared.denied()) {
            throw new IntentDeniedException(declared.decision(), "some declared files are held by other agents; see decision");
        }
        return Response.status(declared.decision().intent() == null ? 200 : 201).entity(declared.decision()).build();
    }

    @GET
    @Path("environments/{environment}/intents")
    @Operation(operationId = "listIntents", summary = "Intents of an environment by agent, entity, status or path prefix")
    @APIResponse(responseCode = "200", description = "Matching intents, by id")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<IntentView> list(@PathParam("environment") @Size(max = 64) String environment,
                                 @QueryParam("agent") @Size(max = 64) String agent,
                                 @QueryParam("entity") @Size(max = 200) String entity,
                                 @QueryParam("status") @Size(max = 16) String status,
                                 @QueryParam("pathPrefix") @Size(max = 1024) String pathPrefix,
                                 @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return intents.list(environment, agent, entity, status, pathPrefix, limit);
    }

    @GET
    @Path("environments/{environment}/blocked-files")
    @Operation(operationId = "listBlockedFiles", summary = "Files held at L4 right now, with their holders")
    @APIResponse(responseCode = "200", description = "Blocked files, by path")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<HeldFileView> blockedFiles(@PathParam("environment") @Size(max = 64) String environment) {
        return intents.blockedFiles(environment);
    }

    @GET
    @Path("environments/{environment}/held-files")
    @Operation(operationId = "listHeldFiles", summary = "Every file held by an active intent (the file heat map)")
    @APIResponse(responseCode = "200", description = "Held files, by path, one row per holding intent")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<HeldFileView> heldFiles(@PathParam("environment") @Size(max = 64) String environment) {
        return intents.heldFiles(environment);
    }

    @GET
    @Path("intents/{id}")
    @Operation(operationId = "getIntent", summary = "One intent with its files")
    @APIResponse(responseCode = "200", description = "The intent")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public IntentView get(@PathParam("id") long id) {
        return intents.get(id);
    }

    @GET
    @Path("intents/{id}/changes")
    @Operation(operationId = "getIntentChanges",
            summary = "What the intent's branch really changes: undeclared edits and real overlaps with other intents")
    @APIResponse(responseCode = "200", description = "Changes since the merge base, undeclared paths, overlaps")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public IntentChanges changes(@PathParam("id") long id) {
        return git.changes(id, caller);
    }

    @POST
    @Path("intents/{id}/renew")
    @Operation(operationId = "renewIntent", summary = "Renew an intent by the body's leaseSeconds, default its own "
            + "lease length (holder only)")
    @APIResponse(responseCode = "200", description = "Renewed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public IntentView renew(@PathParam("id") long id,
                            @RequestBody(required = false) @Valid RenewIntent request) {
        return intents.renew(id, request == null ? null : request.leaseSeconds(), caller);
    }

    @POST
    @Path("intents/{id}/complete")
    @Operation(operationId = "completeIntent", summary = "Complete an intent, releasing its files (holder only)")
    @APIResponse(responseCode = "200", description = "Completed")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public IntentView complete(@PathParam("id") long id) {
        return intents.end(id, true, caller);
    }

    @POST
    @Path("intents/{id}/cancel")
    @Operation(operationId = "cancelIntent", summary = "Cancel an intent, releasing its files (holder only)")
    @APIResponse(responseCode = "200", description = "Cancelled")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public IntentView cancel(@PathParam("id") long id) {
        return intents.end(id, false, caller);
    }
}
