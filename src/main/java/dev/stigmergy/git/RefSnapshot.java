package dev.stigmergy.git;

import java.util.Map;

/**
 * Every ref of a repository and the commit it points to, read at once (what {@code git ls-remote} shows), so
 * that many names resolve against one read.
 *
 * @param commits full ref name ({@code refs/heads/main}, {@code HEAD}) to commit id; annotated tags peeled
 */
public record RefSnapshot(Map<String, String> commits) {

    /**
     * The commit {@code name} names, looked up as {@code git rev-parse} does: the name itself, then under
     * {@code refs/}, {@code refs/tags/}, {@code refs/heads/}, {@code refs/remotes/} and
     * {@code refs/remotes/<name>/HEAD}; a full 40-hex commit id names itself.
     *
     * @return the commit id, or {@code null} when no ref has that name
     */
    public String resolve(String name) {
        if (name.matches("[0-9a-f]{40}")) {
            return name;
        }
        for (String candidate : new String[]{name, "refs/" + name, "refs/tags/" + name, "refs/heads/" + name,
                "refs/remotes/" + name, "refs/remotes/" + name + "/HEAD"}) {
            String commit = commits.get(candidate);
            if (commit != null) {
                return commit;
            }
        }
        return null;
    }
}
