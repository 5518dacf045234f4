package dev.stigmergy.dashboard;

import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/**
 * The dashboard's own JSON reads, authenticated like the rest of the API (any role may read them). Kept out
 * of the OpenAPI spec: they serve the pages, not clients, and may change with them.
 */
@Path("/dashboard/api")
public class DashboardResource {

    private final DashboardService dashboard;

    public DashboardResource(DashboardService dashboard) {
        this.dashboard = dashboard;
    }

    /** Every agent with its latest heartbeat and latest event (200). */
    @GET
    @Path("agents")
    @Operation(hidden = true)
    public List<AgentActivity> agents() {
        return dashboard.agents();
    }

    /** The environment's file tree at HEAD and the edit overlaps of its active intents' branches (200, 404). */
    @GET
    @Path("environments/{environment}/files")
    @Operation(hidden = true)
    public FileTree files(@PathParam("environment") @Size(max = 64) String environment) {
        return dashboard.files(environment);
    }
}
