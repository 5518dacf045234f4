package dev.stigmergy.event;

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

/** The event log over HTTP. */
@Path("/events")
@Tag(name = "events", description = "The append-only audit trail of every state change")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class EventResource {

    private final EventLog log;

    public EventResource(EventLog log) {
        this.log = log;
    }

    @GET
    @Operation(operationId = "listEvents", summary = "Page through the event log in id order")
    @APIResponse(responseCode = "200", description = "A page; pass nextAfter as after to read on")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    public EventPage list(
            @Parameter(description = "read events with an id greater than this") @QueryParam("after") @DefaultValue("0") @Min(0) long after,
            @Parameter(description = "page size, 1-1000") @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "exact event type, e.g. entity.created") @QueryParam("type") @Size(max = 100) String type,
            @QueryParam("environment") @Size(max = 64) String environment,
            @Parameter(description = "entity address kind/key") @QueryParam("entity") @Size(max = 200) String entity,
            @Parameter(description = "acting agent id") @QueryParam("agent") @Size(max = 64) String agent) {
        return log.read(after, limit, type, environment, entity, agent);
    }
}
