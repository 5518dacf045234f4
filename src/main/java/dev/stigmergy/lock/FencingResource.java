package dev.stigmergy.lock;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The fencing check that gates (merge, deploy) call to reject a stale holder. */
@Path("/fencing")
@Tag(name = "locks")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class FencingResource {

    private final LockService locks;

    public FencingResource(LockService locks) {
        this.locks = locks;
    }

    @POST
    @Path("check")
    @Operation(operationId = "checkFencingToken",
            summary = "Whether a fencing token is still the current one of an entity's lock (for merge or deploy gates)")
    @APIResponse(responseCode = "200", description = "The verdict; current is false for a stale or unknown token")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "403", ref = "Forbidden")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public FencingVerdict check(@NotNull @Valid FencingCheck request) {
        return locks.check(request);
    }
}
