package dev.stigmergy.intent;

import jakarta.validation.constraints.Min;

import java.util.List;

/**
 * A range of lines an intent plans to edit in one file: 1-based, both ends inclusive.
 *
 * @param start first line, ≥ 1
 * @param end   last line, ≥ start
 */
public record LineRange(@Min(1) int start, @Min(1) int end) {

    /**
     * Whether two files' declared ranges collide: some range of one is no more than {@code margin} lines
     * away from some range of the other (git's merge keeps 3 lines of context, so hunks closer than that
     * conflict). An absent or empty list means the whole file, which collides with anything.
     */
    public static boolean collide(List<LineRange> a, List<LineRange> b, int margin) {
        if (a == null || a.isEmpty() || b == null || b.isEmpty()) {
            return true;
        }
        for (LineRange x : a) {
            for (LineRange y : b) {
                // lines strictly between the two ranges; negative when they overlap
                int between = Math.max(x.start, y.start) - Math.min(x.end, y.end) - 1;
                if (between <= margin) {
                    return true;
                }
            }
        }
        return false;
    }
}
