package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclareMode;
import dev.stigmergy.client.model.DeclaredFile;
import dev.stigmergy.client.model.FileDecision;
import dev.stigmergy.client.model.IntentDecision;
import dev.stigmergy.client.model.IntentFileView;
import dev.stigmergy.client.model.IntentView;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.Overlap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** {@code stig intent declare | complete | cancel | list}: file-update intents L1-L4 (DESIGN.md §4). */
@Command(name = "intent", mixinStandardHelpOptions = true,
        description = "File-update intents: declare the files (and line ranges) you are about to edit, at a level "
                + "L1 advisory, L2 soft reservation, L3 priority-based, L4 hard lock.",
        subcommands = {IntentCommands.Declare.class, IntentCommands.Complete.class, IntentCommands.Cancel.class,
                IntentCommands.ListCmd.class},
        footer = {"", "Example:", "  stig intent declare src/App.java:10-40 --entity job/COD2-5 --description 'redirect fix'",
                "  stig intent list --mine", "  stig intent complete 42"})
final class IntentCommands extends StigCommand {

    @Override
    int run() {
        throw new ParameterException(spec.commandLine(), "give a subcommand: declare, complete, cancel or list");
    }

    /** {@code PATH} or {@code PATH:START-END[,START-END...]} (1-based, both ends inclusive) as a declared file. */
    static DeclaredFile file(String spec, int level) {
        int colon = spec.lastIndexOf(':');
        DeclaredFile file = new DeclaredFile().level(level);
        if (colon < 0 || !spec.substring(colon + 1).matches("\\d+(-\\d+)?(,\\d+(-\\d+)?)*")) {
            return file.path(spec);
        }
        file.path(spec.substring(0, colon));
        for (String range : spec.substring(colon + 1).split(",")) {
            String[] ends = range.split("-");
            int start = Integer.parseInt(ends[0]);
            file.addLineRangesItem(new LineRange().start(start).end(ends.length > 1 ? Integer.parseInt(ends[1]) : start));
        }
        return file;
    }

    /** The files of {@code specs} in order, one per path: ranges given for one path twice are joined; any bare mention is the whole file. */
    static List<DeclaredFile> files(List<String> specs, int level) {
        java.util.Map<String, DeclaredFile> byPath = new java.util.LinkedHashMap<>();
        for (String spec : specs) {
            DeclaredFile file = file(spec, level);
            DeclaredFile known = byPath.putIfAbsent(file.getPath(), file);
            if (known != null) {
                boolean whole = known.getLineRanges() == null || known.getLineRanges().isEmpty()
                        || file.getLineRanges() == null || file.getLineRanges().isEmpty();
                if (whole) {
                    known.setLineRanges(null);
                } else {
                    file.getLineRanges().forEach(known::addLineRangesItem);
                }
            }
        }
        return List.copyOf(byPath.values());
    }

    static String ranges(List<LineRange> ranges) {
        return ranges == null || ranges.isEmpty() ? "" : " lines " + ranges.stream()
                .map(r -> r.getStart().equals(r.getEnd()) ? "" + r.getStart() : r.getStart() + "-" + r.getEnd())
                .collect(Collectors.joining(","));
    }

    /** One line per file of a decision, naming the holders of what overlaps. */
    static String describe(IntentDecision decision) {
        StringBuilder text = new StringBuilder();
        for (FileDecision f : decision.getFiles()) {
            List<LineRange> lines = decision.getIntent() == null ? List.of() : decision.getIntent().getFiles().stream()
                    .filter(held -> held.getPath().equals(f.getPath())).findFirst().map(IntentFileView::getLineRanges)
                    .orElse(List.of());
            text.append(f.getOutcome()).append("  ").append(f.getPath()).append(" L").append(f.getLevel())
                    .append(ranges(lines)).append('\n');
            for (Overlap o : f.getOverlaps()) {
                text.append("    ").append(o.getEffect()).append(": ").append(o.getPath()).append(" held by ")
                        .append(o.getHolder()).append(" (intent ").append(o.getIntentId()).append(" on ")
                        .append(o.getEntity()).append(", L").append(o.getLevel()).append(", priority ")
                        .append(o.getPriority()).append(")\n");
            }
        }
        return text.toString().stripTrailing();
    }

    /** The decision inside a 409 intent-denied problem, or {@code null}. */
    static IntentDecision deniedDecision(ApiException e) {
        if (e.getCode() != 409 || e.getResponseBody() == null) {
            return null;
        }
        try {
            JsonNode decision = Json.MAPPER.readTree(e.getResponseBody()).path("decision");
            return decision.isObject() ? Json.MAPPER.treeToValue(decision, IntentDecision.class) : null;
        } catch (Exception unreadable) {
            return null;
        }
    }

    @Command(name = "declare", mixinStandardHelpOptions = true,
            description = "Declare an intent on files, directories (src/auth/) or globs (src/**/*.java), optionally "
                    + "narrowed to line ranges (PATH:10-40,80-90). Overlap is checked and the intent created in one "
                    + "transaction. Exit 3 when it is denied; the message names the holders.",
            footer = {"", "Example:",
                    "  stig intent declare src/App.java:10-40 src/Util.java --level 3 --priority 6 \\",
                    "      --entity job/COD2-5 --description 'fix the login redirect'",
                    "  stig intent declare 'src/**/*.sql' --level 4 --mode dry-run --description 'migration'"})
    static final class Declare extends StigCommand {

        @Parameters(arity = "1..*", paramLabel = "FILE", description = "PATH or PATH:START-END[,START-END...]")
        List<String> files = new ArrayList<>();

        @Option(names = "--entity", description = "parent entity kind/key (default: $STIGMERGY_ENTITY)")
        String entity;

        @Option(names = "--level", defaultValue = "3", description = "1-4 (default: ${DEFAULT-VALUE})")
        int level;

        @Option(names = "--priority", description = "1-10, higher wins at L3 (default: the service's, 5)")
        Integer priority;

        @Option(names = "--lease-seconds", defaultValue = "900", description = "lease (default: ${DEFAULT-VALUE})")
        int leaseSeconds;

        @Option(names = "--description", defaultValue = "declared with stig", description = "what you will do")
        String description;

        @Option(names = "--mode", description = "all-or-nothing (default), partial, dry-run")
        String mode;

        @Option(names = "--branch", description = "the branch the edits go to")
        String branch;

        @Option(names = "--base-commit", description = "the commit the edits start from")
        String baseCommit;

        @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
        String environment;

        @Override
        int run() throws Exception {
            DeclareIntent request = new DeclareIntent().entity(entity(entity).toString()).description(description)
                    .priority(priority).leaseSeconds(leaseSeconds).branch(branch).baseCommit(baseCommit);
            if (mode != null) {
                try {
                    request.mode(DeclareMode.fromValue(mode));
                } catch (IllegalArgumentException e) {
                    throw new StigException(Exit.USAGE, "--mode is all-or-nothing, partial or dry-run, not " + mode);
                }
            }
            files(files, level).forEach(request::addFilesItem);
            IntentDecision decision;
            try {
                decision = client().intents().declareIntent(settings().environment(environment), request);
            } catch (ApiException e) {
                IntentDecision denied = deniedDecision(e);
                if (denied == null) {
                    throw e;
                }
                throw new StigException(Exit.REFUSED, "intent denied, nothing declared\n" + describe(denied)
                        + "\n  ask for a file: stig request-unlock --intent <intent> --reason '<why you need it>'",
                        Json.MAPPER.readTree(e.getResponseBody()));
            }
            IntentView intent = decision.getIntent();
            String head = intent == null ? "dry run, nothing declared"
                    : "intent " + intent.getId() + " on " + intent.getEntity() + " (fencing token " + intent.getFencingToken()
                    + ") until " + until(intent.getExpiresAt());
            print(decision, head + "\n" + describe(decision));
            return Exit.DONE;
        }
    }

    @Command(name = "complete", mixinStandardHelpOptions = true,
            description = "Complete your intent: its files are released.",
            footer = {"", "Example:", "  stig intent complete 42"})
    static final class Complete extends StigCommand {

        @Parameters(index = "0", paramLabel = "INTENT", description = "intent id")
        long id;

        @Override
        int run() throws Exception {
            IntentView i = client().intents().completeIntent(id);
            print(i, "intent " + i.getId() + " " + i.getStatus());
            return Exit.DONE;
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel your intent: its files are released.",
            footer = {"", "Example:", "  stig intent cancel 42"})
    static final class Cancel extends StigCommand {

        @Parameters(index = "0", paramLabel = "INTENT", description = "intent id")
        long id;

        @Override
        int run() throws Exception {
            IntentView i = client().intents().cancelIntent(id);
            print(i, "intent " + i.getId() + " " + i.getStatus());
            return Exit.DONE;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the environment's intents (active ones by default).",
            footer = {"", "Example:", "  stig intent list --mine", "  stig intent list --entity job/COD2-5 --status COMPLETED"})
    static final class ListCmd extends StigCommand {

        @Option(names = "--mine", description = "only your intents")
        boolean mine;

        @Option(names = "--agent", description = "only this agent's intents")
        String agent;

        @Option(names = "--entity", description = "only intents on this entity (kind/key)")
        String entity;

        @Option(names = "--status", defaultValue = "ACTIVE", description = "ACTIVE, COMPLETED, CANCELLED, EXPIRED (default: ${DEFAULT-VALUE})")
        String status;

        @Option(names = "--path-prefix", description = "only intents on paths under this prefix")
        String pathPrefix;

        @Option(names = "--limit", defaultValue = "100", description = "at most (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
        String environment;

        @Override
        int run() throws Exception {
            String who = mine ? client().agents().getCurrentAgent().getAgent().getId() : agent;
            String on = entity == null ? null : EntityAddress.parse(entity).toString();
            List<IntentView> intents = client().intents().listIntents(settings().environment(environment), who, on,
                    limit, pathPrefix, status);
            Table table = new Table("ID", "AGENT", "ENTITY", "PRIORITY", "STATUS", "EXPIRES", "FILES");
            for (IntentView i : intents) {
                table.row(i.getId(), i.getAgent(), i.getEntity(), i.getPriority(), i.getStatus(), until(i.getExpiresAt()),
                        i.getFiles().stream().map(ListCmd::file).collect(Collectors.joining("; ")));
            }
            print(intents, table.isEmpty() ? "no intents" : table.toString());
            return Exit.DONE;
        }

        private static String file(IntentFileView f) {
            return f.getPath() + " L" + f.getLevel() + ranges(f.getLineRanges())
                    + ("HELD".equals(f.getStatus()) ? "" : " (" + f.getStatus() + ")");
        }
    }
}
