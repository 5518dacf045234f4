package dev.stigmergy.intent;

import java.util.List;

/**
 * The answer to a hook: {@code ok} unless a touched path is held at L3/L4 by another agent.
 *
 * @param ok      whether the changes may proceed
 * @param touched the paths checked, sorted
 * @param blocked each touched path held by another agent, with the holds
 */
public record Verification(boolean ok, List<String> touched, List<BlockedPath> blocked) {

    /**
     * @param path  a touched path
     * @param holds the L3/L4 holds of other agents covering it
     */
    public record BlockedPath(String path, List<HeldFileView> holds) {
    }
}
