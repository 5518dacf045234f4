package dev.stigmergy.stig;

import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclareMode;
import dev.stigmergy.client.model.FileDecision;
import dev.stigmergy.client.model.IntentDecision;
import dev.stigmergy.client.model.IntentView;
import dev.stigmergy.client.model.Outcome;
import dev.stigmergy.client.model.Overlap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stig check}: would editing these files collide, with whom, until when. A dry-run declaration, so the
 * service's overlap rule answers; nothing is created.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Would editing these files (or line ranges) collide with other agents' intents? Asks the service "
                + "with a dry-run declaration on your entity; nothing is held. Exit 3 when a file would be denied.",
        footer = {"", "Example:", "  stig check src/App.java:10-40 src/Util.java --entity job/COD2-5"})
final class CheckCommand extends StigCommand {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "PATH or PATH:START-END[,START-END...]")
    List<String> files = new ArrayList<>();

    @Option(names = "--entity", description = "your entity kind/key (default: $STIGMERGY_ENTITY)")
    String entity;

    @Option(names = "--level", defaultValue = "3", description = "the level you would declare, 1-4 (default: ${DEFAULT-VALUE})")
    int level;

    @Option(names = "--priority", description = "the priority you would declare, 1-10")
    Integer priority;

    @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
    String environment;

    @Override
    int run() throws Exception {
        DeclareIntent request = new DeclareIntent().entity(entity(entity).toString()).description("stig check")
                .priority(priority).leaseSeconds(60).mode(DeclareMode.DRY_RUN);
        IntentCommands.files(files, level).forEach(request::addFilesItem);
        IntentDecision decision = client().intents().declareIntent(settings().environment(environment), request);
        Map<Long, IntentView> holders = new HashMap<>();
        StringBuilder text = new StringBuilder();
        boolean denied = false;
        for (FileDecision f : decision.getFiles()) {
            denied |= f.getOutcome() == Outcome.DENIED;
            text.append(f.getOutcome() == Outcome.GRANTED ? "free" : f.getOutcome().getValue())
                    .append("  ").append(f.getPath()).append('\n');
            for (Overlap o : f.getOverlaps()) {
                IntentView holder = holders.computeIfAbsent(o.getIntentId(), this::intent);
                text.append("    ").append(o.getEffect()).append(": ").append(o.getHolder()).append(" holds ")
                        .append(o.getPath()).append(holder == null ? "" : IntentCommands.ranges(rangesOf(holder, o.getPath())))
                        .append(" at L").append(o.getLevel()).append(" (intent ").append(o.getIntentId()).append(" on ")
                        .append(o.getEntity()).append(", priority ").append(o.getPriority()).append(") until ")
                        .append(holder == null ? "?" : until(holder.getExpiresAt())).append('\n');
            }
        }
        print(decision, text.toString().stripTrailing());
        return denied ? Exit.REFUSED : Exit.DONE;
    }

    private IntentView intent(long id) {
        try {
            return client().intents().getIntent(id);
        } catch (Exception ended) {
            return null; // ended between the two calls: the overlap is still reported
        }
    }

    private static List<dev.stigmergy.client.model.LineRange> rangesOf(IntentView intent, String path) {
        return intent.getFiles().stream().filter(f -> f.getPath().equals(path)).findFirst()
                .map(f -> f.getLineRanges()).orElse(List.of());
    }
}
