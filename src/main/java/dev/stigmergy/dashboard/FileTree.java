package dev.stigmergy.dashboard;

import dev.stigmergy.intent.EditOverlaps;

import java.util.List;

/**
 * An environment's file tree and the edit overlaps of its in-flight branches, for the dashboard's Files view.
 *
 * @param environment  environment name
 * @param ref          the ref whose tree is listed ({@code HEAD}), or {@code null} without a repository
 * @param files        file paths in that tree, sorted, at most {@link DashboardService#MAX_FILES}
 * @param truncated    whether the tree held more files than listed
 * @param branches     distinct branches of the environment's active intents, in intent order, at most 10
 * @param overlaps     edit overlaps of every pair of those branches, computed at the read; {@code null} when
 *                     fewer than two branches are named or they cannot be compared
 * @param note         why {@code files} or {@code overlaps} is missing, or {@code null}
 */
public record FileTree(String environment, String ref, List<String> files, boolean truncated, List<String> branches,
                       EditOverlaps overlaps, String note) {
}
