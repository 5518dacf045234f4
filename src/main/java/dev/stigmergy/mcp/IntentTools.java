package dev.stigmergy.mcp;

import dev.stigmergy.intent.CompareRefs;
import dev.stigmergy.intent.DeclareIntent;
import dev.stigmergy.intent.DeclareMode;
import dev.stigmergy.intent.DeclaredFile;
import dev.stigmergy.intent.EditOverlaps;
import dev.stigmergy.intent.FileDecision;
import dev.stigmergy.intent.GitAwareness;
import dev.stigmergy.intent.IntentDecision;
import dev.stigmergy.intent.IntentDeniedException;
import dev.stigmergy.intent.IntentDeclaration;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.intent.IntentView;
import dev.stigmergy.intent.Overlap;
import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;
import io.quarkiverse.mcp.server.ToolResponse;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * File-update intent tools (DESIGN.md §4): adapters over {@link IntentDeclaration}, {@link IntentService} and {@link GitAwareness}, as
 * {@code IntentResource} calls them.
 */
public class IntentTools {

    static final String ENVIRONMENT = "environment name (the workspace: a git repository and its entities)";
    static final String FILES = "files you will edit, 1-500, each {path, level, lineRanges?}: path is repo-relative "
            + "(forward slashes, no ./ or ..), a directory ending in / or a git wildmatch glob; level 1 advisory "
            + "(overlaps reported), 2 soft reservation (others warned), 3 priority-based (higher priority wins, "
            + "ties to the earlier intent), 4 hard lock (nobody else may declare or commit it); lineRanges are "
            + "[{start, end}], 1-based, both ends inclusive, narrowing L1-L3 on a plain path (L4 holds the whole file)";

    /**
     * The answer of {@code check_files}: would these edits collide, and with whom.
     *
     * @param collides whether any file overlaps another agent's active intent
     * @param denied   whether a declaration now would be denied for some file
     * @param files    one report per file, in the given order
     */
    public record FilesCheck(boolean collides, boolean denied, List<FileCheck> files) {
    }

    /**
     * One file of a {@code check_files} answer.
     *
     * @param outcome  {@code granted}, {@code warning} (granted, overlaps reported) or {@code denied}
     * @param overlaps the other agents' intents it overlaps
     */
    public record FileCheck(String path, int level, FileDecision.Outcome outcome, List<Collision> overlaps) {
    }

    /**
     * Another agent's intent that a checked file overlaps.
     *
     * @param intentId  the intent (the target of request_unlock)
     * @param holder    its agent
     * @param entity    its parent entity
     * @param path      its overlapping path
     * @param level     its level, 1-4
     * @param priority  its priority, 1-10
     * @param effect    {@code warn}, {@code deny} or {@code preempt} (your L3 file would win)
     * @param expiresAt its lease end (UTC), unless renewed
     */
    public record Collision(long intentId, String holder, String entity, String path, int level, int priority,
                            Overlap.Effect effect, Instant expiresAt) {
    }

    private final IntentService intents;
    private final IntentDeclaration declarations;
    private final GitAwareness git;
    private final ToolCalls calls;

    public IntentTools(IntentService intents, IntentDeclaration declarations, GitAwareness git, ToolCalls calls) {
        this.intents = intents;
        this.declarations = declarations;
        this.git = git;
        this.calls = calls;
    }

    @Tool(name = "declare_intent", description = "Declare the files you are about to edit, under a parent entity, "
            + "before editing. Overlap is checked and the intent created in one step. Answers per file granted, "
            + "warning or denied, with the overlapping intents and holders. A denied declaration is an isError "
            + "result carrying that decision. Complete or cancel it when done; it lapses after leaseSeconds "
            + "unless renewed by heartbeat.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = IntentDecision.class))
    ToolResponse declareIntent(
            @ToolArg(description = ENVIRONMENT) String environment,
            @ToolArg(description = "parent entity address kind/key, e.g. job/COD2-5, in that environment") String entity,
            @ToolArg(description = FILES) List<DeclaredFile> files,
            @ToolArg(description = "what you are about to do, 1-2000 characters") String description,
            @ToolArg(description = "lease length in seconds, 1 to 3600 (configurable)") int leaseSeconds,
            @ToolArg(description = "1-10, higher wins L3 contests; default 5", required = false) Integer priority,
            @ToolArg(description = "all-or-nothing (default: any denied file creates nothing), partial (create "
                    + "the non-denied part) or dry-run (report only)", required = false) String mode,
            @ToolArg(description = "branch the work happens on", required = false) String branch,
            @ToolArg(description = "commit the work starts from; patterns expand against its tree", required = false)
            String baseCommit) {
        DeclareIntent request = calls.valid(new DeclareIntent(entity, files, description, priority, leaseSeconds,
                branch, baseCommit, mode(mode)));
        return calls.write(Addressed.environment(environment), caller -> {
            IntentDeclaration.Declared declared = declarations.declare(environment, request, caller);
            if (declared.denied()) {
                throw new IntentDeniedException(declared.decision(), "some declared files are held by other agents; see decision");
            }
            return declared.decision();
        });
    }

    @Tool(name = "check_files", description = "Would editing these files collide, and with whom? A dry-run "
            + "declaration: nothing is held or changed. Names each overlapping intent's holder, level, priority "
            + "and expiresAt, and whether a declaration now would be denied.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = FilesCheck.class))
    ToolResponse checkFiles(
            @ToolArg(description = ENVIRONMENT) String environment,
            @ToolArg(description = "the parent entity you would declare under, kind/key") String entity,
            @ToolArg(description = FILES) List<DeclaredFile> files,
            @ToolArg(description = "the priority you would declare with, 1-10; default 5", required = false) Integer priority) {
        DeclareIntent request = calls.valid(new DeclareIntent(entity, files, "check_files", priority, 1, null, null,
                DeclareMode.DRY_RUN));
        return calls.read(Addressed.environment(environment), caller -> check(declarations.declare(environment, request, caller)));
    }

    @Tool(name = "complete_intent", description = "Mark your intent completed once the edits are committed: its "
            + "files are released (and files_blocked retracted for L4).",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = IntentView.class))
    ToolResponse completeIntent(@ToolArg(description = "intent id, from declare_intent") long intentId) {
        return calls.write(Addressed.intent(intentId), caller -> intents.end(intentId, true, caller));
    }

    @Tool(name = "cancel_intent", description = "Cancel your intent without completing it: its files are released.",
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = IntentView.class))
    ToolResponse cancelIntent(@ToolArg(description = "intent id, from declare_intent") long intentId) {
        return calls.write(Addressed.intent(intentId), caller -> intents.end(intentId, false, caller));
    }

    @Tool(name = "edit_overlaps", description = "Compare what git refs (branches, tags, commits) change, pairwise "
            + "against their merge base: files both change, colliding hunks (1-based line ranges) and a trial "
            + "merge's conflicting paths. Reads the environment's repository; changes nothing.",
            annotations = @Tool.Annotations(readOnlyHint = true, openWorldHint = false),
            structuredContent = true, outputSchema = @Tool.OutputSchema(from = EditOverlaps.class))
    ToolResponse editOverlaps(
            @ToolArg(description = ENVIRONMENT) String environment,
            @ToolArg(description = "2-10 branches, tags or commit ids; every pair is compared") List<String> refs,
            @ToolArg(description = "widen hunk collision by this many lines on each side, 0-100; default 0",
                    required = false) Integer contextLines) {
        CompareRefs request = calls.valid(new CompareRefs(refs, contextLines));
        return calls.read(Addressed.environment(environment), caller -> git.editOverlaps(environment, request));
    }

    private FilesCheck check(IntentDeclaration.Declared declared) {
        Map<Long, Instant> expiry = new HashMap<>();
        List<FileCheck> files = declared.decision().files().stream().map(f -> new FileCheck(f.path(), f.level(),
                f.outcome(), f.overlaps().stream().map(o -> new Collision(o.intentId(), o.holder(), o.entity(),
                        o.path(), o.level(), o.priority(), o.effect(),
                        expiry.computeIfAbsent(o.intentId(), id -> intents.get(id).expiresAt()))).toList())).toList();
        boolean collides = files.stream().anyMatch(f -> !f.overlaps().isEmpty());
        boolean denied = files.stream().anyMatch(f -> f.outcome() == FileDecision.Outcome.DENIED);
        return new FilesCheck(collides, denied, files);
    }

    private static DeclareMode mode(String mode) {
        if (mode == null) {
            return null;
        }
        return switch (mode) {
            case "all-or-nothing" -> DeclareMode.ALL_OR_NOTHING;
            case "partial" -> DeclareMode.PARTIAL;
            case "dry-run" -> DeclareMode.DRY_RUN;
            default -> throw ToolCalls.invalidParams("mode", "must be all-or-nothing, partial or dry-run");
        };
    }
}
