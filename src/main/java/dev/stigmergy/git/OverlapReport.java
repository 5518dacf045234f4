package dev.stigmergy.git;

import java.util.List;

/**
 * What two refs both change, and whether merging them conflicts.
 *
 * @param refA             first ref as given
 * @param refB             second ref as given
 * @param mergeBase        their merge base commit id, or {@code null} when they share no history
 * @param changedA         paths A changes since the merge base (new paths for renames)
 * @param changedB         paths B changes since the merge base
 * @param files            files both change, renames followed
 * @param conflictingPaths paths whose trial merge conflicts, sorted
 * @param clean            whether the trial merge is free of conflicts
 */
public record OverlapReport(String refA, String refB, String mergeBase, List<String> changedA, List<String> changedB,
                            List<FileOverlap> files, List<String> conflictingPaths, boolean clean) {
}
