package dev.stigmergy.intent;

import dev.stigmergy.git.FileOverlap;

import java.util.List;

/**
 * What an intent's branch actually changes, beside what it declared and what others do.
 *
 * @param intentId   the intent
 * @param branch     its branch
 * @param base       the ref its changes are measured from: its baseCommit, else the repository's HEAD, or, when
 *                   HEAD is unborn, its default branch ({@code main}, {@code master} or the only branch)
 * @param mergeBase  merge base of branch and base
 * @param changed    paths the branch changes since the merge base (a renamed file by its new path)
 * @param undeclared changed paths no declared path of the intent covers
 * @param overlaps   other agents' active intents whose real or declared changes meet this branch's
 */
public record IntentChanges(long intentId, String branch, String base, String mergeBase, List<String> changed,
                            List<String> undeclared, List<OtherIntent> overlaps) {

    /**
     * Another active intent meeting this branch.
     *
     * @param intentId         its id
     * @param holder           its agent
     * @param branch           its branch, or {@code null}: then {@code declared} lists its declared paths that
     *                         cover changed paths, and no hunks are known
     * @param files            with a branch: files both branches change, with hunks and collisions
     * @param conflictingPaths with a branch: paths whose trial merge conflicts
     * @param declared         without a branch: its declared paths covering this branch's changes
     */
    public record OtherIntent(long intentId, String holder, String branch, List<FileOverlap> files,
                              List<String> conflictingPaths, List<String> declared) {
    }
}
