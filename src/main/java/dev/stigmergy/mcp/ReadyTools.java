package dev.stigmergy.mcp;

import dev.stigmergy.ready.ReadyPage;
import dev.stigmergy.ready.ReadyService;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The ready-work tool (DESIGN.md §7, issue 27): an adapter over {@link ReadyService}, as {@code ReadyResource} calls it. */
public class ReadyTools {

    /** The constraints REST puts on the ready query's path and query parameters. */
    record ReadyQuery(@NotBlank @Size(max = 64) String environment,
                      @Size(max = 32) List<@NotNull @Pattern(regexp = "[a-z][a-z0-9-]{0,39}") String> kind,
                      @Size(max = 200) String after, @Min(1) @Max(100) int limit) {
    }

    private final ReadyService ready;
    private final ToolCalls calls;

    public ReadyTools(ReadyService ready, ToolCalls calls) {
        this.ready = ready;
        this.calls = calls;
    }

    @Tool(name = "ready_work", description = "The entities of an environment you could take now, best first: not "
            + "locked by another agent, not done, every dependency done, not task_not_ready, no files it needs blocked "
            + "at L4 by another agent, not saturated, inside your acting role's slice. Ranked by decayed importance "
            + "(summed current intensity), then age; each item says why it ranks there. Take one with acquire_lock. "
            + "Unknown environment: an isError result.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = ReadyPage.class))
    ToolResponse readyWork(
            @ToolArg(description = "environment name") String environment,
            @ToolArg(description = "only these entity kinds, e.g. [\"job\"]; all when absent", required = false)
            List<String> kind,
            @ToolArg(description = "nextAfter of the previous page, to read on", required = false) String after,
            @ToolArg(description = "page size, 1-100; default 20", defaultValue = "20") int limit) {
        ReadyQuery q = calls.valid(new ReadyQuery(environment, kind == null ? List.of() : kind, after, limit));
        return calls.read(Addressed.environment(q.environment()), caller -> ready.ready(q.environment(), q.kind(), q.after(), q.limit(), caller));
    }
}
