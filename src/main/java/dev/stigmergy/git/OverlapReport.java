package dev.stigmergy.git;

import java.util.List;

/**
 * What two refs both change, and whether merging them conflicts.
 *
 * @param refA             first ref as given
 * @param refB             second ref as given
 * @param mergeBase        their merge base commit id; {@code null} when they share no history or have several
 * @param mergeBaseCount   how many merge bases they have (as {@code git merge-base --all}); with several
 *                         (criss-cross history) every hunk is in the coordinates of the virtual base that git's
 *                         recursive merge makes of them, and the trial merge runs against it
 * @param mergeBases       those merge bases' commit ids
 * @param changedA         paths A changes since the merge base (new paths for renames)
 * @param changedB         paths B changes since the merge base
 * @param files            files both change, renames followed
 * @param conflictingPaths paths whose trial merge conflicts, sorted, named where the merge leaves them (both new
 *                         names of a file renamed on each side), as {@code git merge-tree --name-only} lists them
 * @param clean            whether the trial merge is free of conflicts
 */
public record OverlapReport(String refA, String refB, String mergeBase, int mergeBaseCount,
                            List<String> mergeBases, List<String> changedA, List<String> changedB,
                            List<FileOverlap> files, List<String> conflictingPaths, boolean clean) {
}
