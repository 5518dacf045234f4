package dev.stigmergy.ready;

import dev.stigmergy.caller.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** Ready work over HTTP. */
@Path("/environments/{environment}/ready")
@Tag(name = "ready", description = "What the caller could take now")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class ReadyResource {

    private final ReadyService ready;
    private final Caller caller;

    public ReadyResource(ReadyService ready, Caller caller) {
        this.ready = ready;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listReadyWork", summary = "Entities the caller could take now, best first: not locked by "
            + "another agent, not done, every dependency done, not task_not_ready, no files it needs blocked at L4 by "
            + "another agent, not saturated, inside the acting role's slice; ranked by decayed importance, then age")
    @APIResponse(responseCode = "200", description = "A page; pass nextAfter as after to read on")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ReadyPage ready(@PathParam("environment") @Size(max = 64) String environment,
                           @Parameter(description = "only these entity kinds (repeatable); all when absent")
                           @QueryParam("kind") @Size(max = 32) List<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]{0,39}") String> kinds,
                           @Parameter(description = "nextAfter of the previous page") @QueryParam("after") @Size(max = 200) String after,
                           @Parameter(description = "page size, 1-100") @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return ready.ready(environment, kinds == null ? List.of() : kinds, after, limit, caller);
    }
}
