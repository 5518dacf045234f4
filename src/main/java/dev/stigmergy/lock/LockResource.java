package dev.stigmergy.lock;

import dev.stigmergy.agent.AdminOnly;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityService;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

/** Locks over HTTP: acquire, renew, release, force release, read. */
@Path("/entities/{kind}/{key}/lock")
@Tag(name = "locks", description = "Exclusive, leased holds on entities, with fencing tokens")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class LockResource {

    private final LockService locks;
    private final Caller caller;

    public LockResource(LockService locks, Caller caller) {
        this.locks = locks;
        this.caller = caller;
    }

    @POST
    @Operation(operationId = "acquireLock",
            summary = "Acquire the lock on an entity, or renew it when the caller already holds it")
    @APIResponse(responseCode = "201", description = "Granted, with a new fencing token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LockGrant.class)))
    @APIResponse(responseCode = "200", description = "The caller already held it: renewed, same fencing token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LockGrant.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response acquire(@PathParam("kind") @Size(max = 40) String kind,
                            @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                            @NotNull @Valid AcquireLock request) {
        LockService.Acquired acquired = locks.acquire(kind, key, request, caller);
        return Response.status(acquired.granted() ? 201 : 200).entity(acquired.lock()).build();
    }

    @GET
    @Operation(operationId = "getLock", summary = "The live lock on an entity, with its pending unlock requests")
    @APIResponse(responseCode = "200", description = "The lock")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public LockView get(@PathParam("kind") @Size(max = 40) String kind,
                        @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key) {
        return locks.get(kind, key);
    }

    @POST
    @Path("renew")
    @Operation(operationId = "renewLock", summary = "The holder renews its lock (same fencing token, new expiry)")
    @APIResponse(responseCode = "200", description = "Renewed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public LockGrant renew(@PathParam("kind") @Size(max = 40) String kind,
                           @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                           @Valid RenewLock request) {
        return locks.renew(kind, key, request == null ? null : request.leaseSeconds(), caller);
    }

    @DELETE
    @Operation(operationId = "releaseLock", summary = "The holder releases its lock")
    @APIResponse(responseCode = "200", description = "Released; the grant as it ended")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public LockGrant release(@PathParam("kind") @Size(max = 40) String kind,
                             @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key) {
        return locks.release(kind, key, caller);
    }

    @POST
    @Path("force-release")
    @Operation(operationId = "forceReleaseLock", summary = "An admin ends another agent's lock, with a reason (audited)")
    @APIResponse(responseCode = "200", description = "Released; the grant as it ended")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @AdminOnly("force-releasing a lock")
    public LockGrant forceRelease(@PathParam("kind") @Size(max = 40) String kind,
                                  @PathParam("key") @Pattern(regexp = EntityService.KEY, message = EntityService.KEY_MESSAGE) String key,
                                  @NotNull @Valid ForceRelease request) {
        return locks.forceRelease(kind, key, request.reason(), caller);
    }
}
