package dev.stigmergy.dashboard;

import dev.stigmergy.agent.PublicPage;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The dashboard's pages: {@code /dashboard} (sign in with a reviewer token), {@code /dashboard/board},
 * {@code /dashboard/files}, {@code /dashboard/conflicts}, {@code /dashboard/agents} and {@code /dashboard/feed}, each taking the environment
 * as {@code ?environment=}. They are shells without data, so they need no token (a browser navigation cannot
 * send one); their script reads everything through the authenticated API. Not in the OpenAPI spec.
 */
@Path("/dashboard")
@PublicPage
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    private final Template login;
    private final Template board;
    private final Template files;
    private final Template agents;
    private final Template feed;
    private final Template conflicts;

    public DashboardPages(@Location("dashboard/login.html") Template login,
                          @Location("dashboard/board.html") Template board,
                          @Location("dashboard/files.html") Template files,
                          @Location("dashboard/agents.html") Template agents,
                          @Location("dashboard/feed.html") Template feed,
                         @Location("dashboard/conflicts.html") Template conflicts) {
        this.login = login;
        this.board = board;
        this.files = files;
        this.agents = agents;
        this.feed = feed;
        this.conflicts = conflicts;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance login() {
        return login.data("view", "login");
    }

    @GET
    @Path("board")
    @Operation(hidden = true)
    public TemplateInstance board() {
        return board.data("view", "board");
    }

    @GET
    @Path("files")
    @Operation(hidden = true)
    public TemplateInstance files() {
        return files.data("view", "files");
    }

    @GET
    @Path("agents")
    @Operation(hidden = true)
    public TemplateInstance agents() {
        return agents.data("view", "agents");
    }

    @GET
    @Path("feed")
    @Operation(hidden = true)
    public TemplateInstance feed() {
        return feed.data("view", "feed");
    }

    @GET
    @Path("conflicts")
    @Operation(hidden = true)
    public TemplateInstance conflicts() {
        return conflicts.data("view", "conflicts");
    }
}
