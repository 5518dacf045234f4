package dev.stigmergy.git;

/**
 * A changed region in base coordinates, as in a unified diff's {@code -start,count}: lines
 * {@code startLine .. startLine + lineCount - 1} of the merge base are replaced (1-based). A pure insertion
 * has {@code lineCount} 0 and goes after line {@code startLine - 1}.
 *
 * @param startLine first base line replaced, 1-based
 * @param lineCount how many base lines are replaced, ≥ 0
 */
public record Hunk(int startLine, int lineCount) {

    int beginA() {
        return startLine - 1;
    }

    int endA() {
        return startLine - 1 + lineCount;
    }

    /**
     * Whether two hunks on the same base collide: they overlap or touch (git's merge treats changes to
     * adjacent lines as one conflict), widened by {@code contextLines} on each side.
     */
    public boolean collides(Hunk other, int contextLines) {
        return beginA() <= other.endA() + contextLines && other.beginA() <= endA() + contextLines;
    }
}
