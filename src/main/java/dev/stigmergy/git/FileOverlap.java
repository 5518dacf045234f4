package dev.stigmergy.git;

import java.util.List;

/**
 * A file both refs change since their merge base.
 *
 * @param basePath        the file's path at the merge base ({@code null} when both sides added it)
 * @param pathA           its path on ref A (differs from basePath when A renamed it; {@code null} if A deleted it)
 * @param pathB           its path on ref B
 * @param hunksA          A's hunks in base coordinates (empty when A added or deleted the whole file)
 * @param hunksB          B's hunks in base coordinates
 * @param collidingHunks  pairs {@code [hunkA, hunkB]} that overlap or touch; a whole-file change collides with all
 * @param conflicts       whether the trial merge of this file conflicts
 */
public record FileOverlap(String basePath, String pathA, String pathB, List<Hunk> hunksA, List<Hunk> hunksB,
                          List<List<Hunk>> collidingHunks, boolean conflicts) {
}
