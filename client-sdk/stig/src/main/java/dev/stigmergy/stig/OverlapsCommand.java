package dev.stigmergy.stig;

import dev.stigmergy.client.model.CompareRefs;
import dev.stigmergy.client.model.EditOverlaps;
import dev.stigmergy.client.model.FileOverlap;
import dev.stigmergy.client.model.OverlapReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code stig overlaps}: what two refs both change, read from the environment's repository by the service. */
@Command(name = "overlaps", mixinStandardHelpOptions = true,
        description = "Compare refs of the environment's repository pairwise: merge base, files both change, "
                + "colliding hunks and a trial merge.",
        footer = {"", "Example:", "  stig overlaps feature/login feature/redirect", "  stig overlaps main agent-a --context-lines 3"})
final class OverlapsCommand extends StigCommand {

    @Parameters(arity = "2..*", paramLabel = "REF", description = "branches or commits")
    List<String> refs = new ArrayList<>();

    @Option(names = "--context-lines", description = "hunks closer than this collide (default: 0)")
    Integer contextLines;

    @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
    String environment;

    @Override
    int run() throws Exception {
        EditOverlaps answer = client().intents().editOverlaps(settings().environment(environment),
                new CompareRefs().refs(refs).contextLines(contextLines));
        StringBuilder text = new StringBuilder();
        for (OverlapReport pair : answer.getPairs()) {
            text.append(pair.getRefA()).append(" x ").append(pair.getRefB()).append(" (merge base ")
                    .append(pair.getMergeBase()).append(")\n");
            if (pair.getFiles().isEmpty()) {
                text.append("  no file changed by both\n");
            }
            for (FileOverlap f : pair.getFiles()) {
                text.append("  ").append(f.getBasePath()).append(f.getConflicts() ? "  CONFLICTS" : "")
                        .append(f.getCollidingHunks().isEmpty() ? "" : "  " + f.getCollidingHunks().size() + " colliding hunk pair(s)")
                        .append('\n');
            }
        }
        print(answer, text.toString().stripTrailing());
        return Exit.DONE;
    }
}
