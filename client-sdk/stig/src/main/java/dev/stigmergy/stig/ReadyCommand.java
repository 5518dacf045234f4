package dev.stigmergy.stig;

import dev.stigmergy.client.model.ReadyPage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code stig ready}: what the calling agent could take now in the environment, best first (the ready query). */
@Command(name = "ready", mixinStandardHelpOptions = true,
        description = "List the entities you could take now, best first: not locked by another agent, not done, "
                + "every dependency done, not task_not_ready, no files it needs blocked at L4, not saturated, inside "
                + "your role's slice; ranked by decayed importance, then age.",
        footer = {"", "Example:", "  stig ready --kind job --limit 5",
                "  stig lock $(stig ready --limit 1 --json | jq -r '.items[0].entity')"})
final class ReadyCommand extends StigCommand {

    @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
    String environment;

    @Option(names = {"-k", "--kind"}, paramLabel = "KIND", description = "Only entities of this kind (repeatable).")
    List<String> kinds = new ArrayList<>();

    @Option(names = "--limit", description = "Page size, 1-100 (default: 20).")
    Integer limit;

    @Option(names = "--after", paramLabel = "CURSOR", description = "nextAfter of the previous page, to read on.")
    String after;

    @Override
    int run() throws Exception {
        String env = settings().environment(environment);
        ReadyPage page = client().ready().listReadyWork(env, after, kinds.isEmpty() ? null : kinds, limit);
        Table table = new Table("READY", "IMPORTANCE", "TITLE", "WHY");
        page.getItems().forEach(e -> table.row(e.getEntity() + (Boolean.TRUE.equals(e.getHeldByCaller()) ? " (yours)" : ""),
                String.format("%.2f", e.getImportance()), e.getTitle(), e.getReason()));
        String text = (table.isEmpty() ? "nothing ready for you in environment " + env : table.toString())
                + (page.getNextAfter() == null ? "" : "\n(more: stig ready --after " + page.getNextAfter() + ")");
        print(page, text);
        return Exit.DONE;
    }
}
