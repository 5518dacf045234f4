package dev.stigmergy.colony;

import org.eclipse.jgit.lib.ObjectId;

import java.util.List;
import java.util.Set;

/**
 * One commit of the replayed history, as a job of the colony.
 *
 * @param index    position in the replay, 0 = oldest
 * @param commit   the original commit
 * @param parent   its first parent, or {@code null} for a root commit (whose parent is the empty tree)
 * @param shortSha 7-hex abbreviation of {@code commit}
 * @param subject  first line of the commit message (the entity's title)
 * @param key      entity key, {@code <shortSha>.<run>} so that runs never collide (entities are global)
 * @param paths    every path the commit touches, old and new names of renames
 * @param files    what the commit changes, file by file, in its parent's coordinates
 */
record Job(int index, ObjectId commit, ObjectId parent, String shortSha, String subject, String key, Set<String> paths,
           List<FileChange> files) {

    /** The entity address, {@code job/<key>}. */
    String entity() {
        return "job/" + key;
    }

    /**
     * A file the commit changes.
     *
     * @param path   repository-relative path
     * @param ranges line ranges of the parent's version it replaces, 1-based, both ends inclusive (a pure
     *               insertion after line n is {@code [n, n+1]}, clamped to line 1); empty when the whole file
     *               is added, deleted or binary
     */
    record FileChange(String path, List<int[]> ranges) {
    }
}
