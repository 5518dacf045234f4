package dev.stigmergy.intent;

import java.util.List;

/**
 * The answer to a declaration: the decision per file and, unless nothing was created, the intent.
 *
 * @param mode   the mode applied
 * @param intent the created intent, or {@code null} (dry run, or denied)
 * @param files  one decision per declared file, in declared order
 */
public record IntentDecision(DeclareMode mode, IntentView intent, List<FileDecision> files) {
}
