package dev.stigmergy.lock;

import dev.stigmergy.caller.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Live locks across entities. */
@Path("/locks")
@Tag(name = "locks")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class LocksResource {

    private final LockService locks;
    private final Caller caller;

    public LocksResource(LockService locks, Caller caller) {
        this.locks = locks;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listLocks", summary = "Live locks, ordered by entity address, by environment and holder")
    @APIResponse(responseCode = "200", description = "The live locks")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public List<LockGrant> list(@QueryParam("environment") @Size(max = 64) String environment,
                                @Parameter(description = "holder agent id") @QueryParam("holder") @Size(max = 64) String holder,
                                @Parameter(description = "at most this many, 1-1000") @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return locks.list(environment, holder, limit, caller);
    }
}
