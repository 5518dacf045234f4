package dev.stigmergy.mergerequest;

import java.time.Instant;
import java.util.List;

/**
 * What one read of an environment's refs changed (a poll, or {@code POST /environments/{env}/refs}).
 *
 * @param environment     the environment
 * @param readAt          when the refs were read (UTC)
 * @param moved           keys of the open merge requests whose source or target commit changed, sorted
 * @param recomputed      pairs {@code [keyA, keyB]} whose trial merge ran (keyA &lt; keyB)
 * @param cached          pairs whose commits moved to a pair already computed: answered from the cache
 * @param colliding       pairs now colliding among those looked at
 * @param unresolved      keys of open merge requests whose source or target names no ref: left as they were
 */
public record RefsRead(String environment, Instant readAt, List<String> moved, List<List<String>> recomputed,
                       List<List<String>> cached, List<List<String>> colliding, List<String> unresolved) {
}
