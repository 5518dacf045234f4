package dev.stigmergy.event;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The event log over HTTP. */
@Path("/events")
@Tag(name = "events", description = "The append-only audit trail of every state change")
@APIResponse(responseCode = "401", ref = "Unauthorized")
public class EventResource {

    /** The SSE reconnection header (WHATWG HTML, server-sent events). */
    public static final String LAST_EVENT_ID = "Last-Event-ID";

    private final EventLog log;
    private final EventHub hub;
    private final EventVisibility visibility;
    private final Caller caller;
    private final EventRetention retention;

    public EventResource(EventLog log, EventHub hub, EventVisibility visibility, Caller caller,
                         EventRetention retention) {
        this.retention = retention;
        this.log = log;
        this.hub = hub;
        this.visibility = visibility;
        this.caller = caller;
    }

    @GET
    @Operation(operationId = "listEvents", summary = "Page through the event log in id order; events of pheromones "
            + "only for signal types the acting role reads")
    @APIResponse(responseCode = "200", description = "A page; pass nextAfter as after to read on")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "410", description = "Retention removed events after this position; the problem "
            + "names oldestKept and resumeAfter", content = @Content(mediaType = dev.stigmergy.api.Problem.MEDIA_TYPE,
            schema = @Schema(implementation = dev.stigmergy.api.Problem.class)))
    public EventPage list(
            @Parameter(description = "read events with an id greater than this; 0 reads from the oldest event kept")
            @QueryParam("after") @DefaultValue("0") @Min(0) long after,
            @Parameter(description = "page size, 1-1000") @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @Parameter(description = "exact event type, e.g. entity.created") @QueryParam("type") @Size(max = 100) String type,
            @QueryParam("environment") @Size(max = 64) String environment,
            @Parameter(description = "entity address kind/key") @QueryParam("entity") @Size(max = 200) String entity,
            @Parameter(description = "acting agent id") @QueryParam("agent") @Size(max = 64) String agent) {
        retention.requireKept(after);
        EventPage page = log.read(after, limit, type, environment, entity, agent);
        // the acting role's slice, as on the stream: a page may hold fewer events than limit; nextAfter reads on
        java.util.function.Predicate<EventView> visible = visible();
        return new EventPage(page.events().stream().filter(visible).toList(), page.nextAfter());
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(operationId = "streamEvents", summary = "Stream events as they commit (Server-Sent Events)",
            description = "A long-lived text/event-stream. Each SSE event carries the log id as `id`, the event "
                    + "type as `event` and the event (same shape as in GET /events) as JSON `data`. Lines "
                    + "starting with ':' are comments: `subscribed` when the stream opens, `heartbeat` every "
                    + "stigmergy.events.heartbeat-interval-millis (default 15 s) while idle, and `closed: <reason>` "
                    + "before the service ends a stream (for a client that lets more than "
                    + "stigmergy.events.buffer-limit-events events wait, or at shutdown). To resume, reconnect "
                    + "with the last id received as the Last-Event-ID header (or the lastEventId query "
                    + "parameter): the stream first replays every matching event after it from the log, then "
                    + "continues live, with no gap and no duplicate; an id whose followers retention removed answers 410 "
                    + "(problem members oldestKept, resumeAfter). Without it the stream starts with the next "
                    + "event. Events written through any replica reach streams on every replica. Consume it with "
                    + "an SSE client (EventSource), not a generated method.",
            extensions = @Extension(name = "x-internal", value = "true", parseValue = true))
    @APIResponse(responseCode = "200", description = "The stream; it stays open until the client or the service ends it",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    example = ": subscribed\n\nid: 4182\nevent: entity.created\ndata: {\"id\":4182,\"type\":\"entity.created\",...}\n\n")))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "410", description = "Retention removed events after this position; the problem "
            + "names oldestKept and resumeAfter", content = @Content(mediaType = dev.stigmergy.api.Problem.MEDIA_TYPE,
            schema = @Schema(implementation = dev.stigmergy.api.Problem.class)))
    public void stream(
            @Parameter(description = "event type selectors, repeated or comma-separated; '*' stands for one or more "
                    + "dot-separated segments: pheromone.*, *.released, intent.denied, *. Default: every type")
            @QueryParam("types") List<String> types,
            @QueryParam("environment") @Size(max = 64) String environment,
            @Parameter(description = "entity address kind/key") @QueryParam("entity") @Size(max = 200) String entity,
            @Parameter(description = "acting agent id") @QueryParam("agent") @Size(max = 64) String agent,
            @Parameter(description = "resume after this event id (non-negative); the Last-Event-ID header wins when both are sent")
            @QueryParam("lastEventId") String lastEventIdQuery,
            @Parameter(in = ParameterIn.HEADER, name = LAST_EVENT_ID, description = "resume after this event id, as an EventSource sends it on reconnect")
            @HeaderParam(LAST_EVENT_ID) String lastEventIdHeader,
            @Context SseEventSink sink, @Context Sse sse, @Context HttpServerResponse response) {
        EventFilter filter = new EventFilter(EventSelector.parseAll(types), environment, entity, agent,
                visible());
        Long after = lastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdQuery);
        if (after != null) {
            retention.requireKept(after);
        }
        hub.subscribe(filter, after, new SseSink(sink, sse, response));
    }

    // the acting role's slice and the agent's environment scope (issue 27), fixed when the page or stream opens
    private java.util.function.Predicate<EventView> visible() {
        java.util.function.Predicate<String> reachable = caller.reachable();
        return visibility.visibleTo(caller.agentId(), caller.actingRole()).and(e -> reachable.test(e.environment()));
    }

    private static Long lastEventId(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException("Last-Event-ID must be an event id, a non-negative integer");
        }
        if (id < 0) {
            throw new InvalidInputException("Last-Event-ID must be a non-negative integer, not " + id);
        }
        return id;
    }
}
