package dev.stigmergy.intent;

import dev.stigmergy.git.OverlapReport;

import java.util.List;

/**
 * Every pair of the compared refs, in request order ({@code refs[0]} with {@code refs[1]}, …).
 *
 * @param environment the environment whose repository was read
 * @param pairs       one report per pair
 */
public record EditOverlaps(String environment, List<OverlapReport> pairs) {
}
