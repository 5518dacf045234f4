package dev.stigmergy.intent;

import java.util.List;

/**
 * The answer to a hook: {@code ok} unless a touched path collides with another agent's L3/L4 hold.
 *
 * @param ok      whether the changes may proceed
 * @param touched the paths checked, sorted
 * @param blocked each touched path that collides, with the holds it collides with
 */
public record Verification(boolean ok, List<String> touched, List<BlockedPath> blocked) {

    /**
     * @param path       a touched path
     * @param lineRanges the touched line ranges checked (1-based, inclusive); empty for the whole file
     * @param holds      the L3/L4 holds of other agents it collides with
     */
    public record BlockedPath(String path, List<LineRange> lineRanges, List<HeldFileView> holds) {
    }
}
