package dev.stigmergy.dashboard;

import dev.stigmergy.caller.Caller;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's own JSON reads, authenticated like the rest of the API (any role may read them). Kept out
 * of the OpenAPI spec: they serve the pages, not clients, and may change with them.
 */
@Path("/dashboard/api")
public class DashboardResource {

    private final DashboardService dashboard;
    private final Caller caller;

    public DashboardResource(DashboardService dashboard, Caller caller) {
        this.dashboard = dashboard;
        this.caller = caller;
    }

    /**
     * A page of agents by id with their latest heartbeat, latest event, liveness and holds (200; 400 for a bad
     * limit). {@code q} keeps agents whose id or display name contains it; {@code environment} names whose active
     * intents to list; {@code after} is the previous page's {@code nextAfter}. No answer passes about 900 kB.
     */
    @GET
    @Path("agents")
    @Operation(hidden = true)
    public AgentActivityPage agents(@QueryParam("environment") @Size(max = 64) String environment,
                                    @QueryParam("q") @Size(max = 200) String text,
                                    @QueryParam("after") @Size(max = 64) String after,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(DashboardService.MAX_AGENTS) int limit) {
        return dashboard.agents(environment, text, after, limit, caller);
    }

    /**
     * A page of the environment's entities by address, each with its pheromones as the acting role senses them,
     * live lock, active intents and pending unlock requests (200; 400 for a bad filter or cursor; 404 unknown
     * environment). Filters {@code kind} and {@code status}; {@code after} is the previous page's
     * {@code nextAfter}. No answer passes about 900 kB.
     */
    @GET
    @Path("environments/{environment}/board")
    @Operation(hidden = true)
    public BoardPage board(@PathParam("environment") @Size(max = 64) String environment,
                           @QueryParam("kind") @Size(max = 40) String kind,
                           @QueryParam("status") @Size(max = 32) String status,
                           @QueryParam("after") @Size(max = 200) String after,
                           @QueryParam("limit") @DefaultValue("25") @Min(1) @Max(DashboardService.MAX_CARDS) int limit) {
        return dashboard.board(environment, kind, status, after, limit, caller);
    }

    /** The environment's file tree at HEAD and the edit overlaps of its active intents' branches (200, 404). */
    @GET
    @Path("environments/{environment}/files")
    @Operation(hidden = true)
    public FileTree files(@PathParam("environment") @Size(max = 64) String environment) {
        return dashboard.files(environment);
    }
}
