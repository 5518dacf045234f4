package dev.stigmergy.mergerequest;

import java.time.Instant;
import java.util.List;

/**
 * The conflict radar of an environment: its open merge requests and every pair of them on one target that
 * would conflict or whose hunks collide.
 *
 * @param environment   the environment
 * @param mergeRequests the open merge requests, by key
 * @param pairs         the colliding pairs, by keys
 */
public record ConflictMatrix(String environment, List<MergeRequestView> mergeRequests, List<PairConflict> pairs) {

    /**
     * One colliding pair.
     *
     * @param a          key of the first merge request ({@code a < b})
     * @param b          key of the second
     * @param targetRef  their common target
     * @param commitA    a's source commit the trial merge used
     * @param commitB    b's source commit
     * @param conflicts  whether git would conflict merging the two sources
     * @param touching   whether hunks overlap or touch (also true when git would merge them cleanly)
     * @param mergeBases how many merge bases the two sources have (several: compared with git's virtual base)
     * @param files      the files both change with colliding hunks or a conflicting trial merge
     * @param computedAt when the trial merge ran (UTC)
     */
    public record PairConflict(String a, String b, String targetRef, String commitA, String commitB, boolean conflicts,
                               boolean touching, int mergeBases, List<ConflictFile> files, Instant computedAt) {
    }

    /**
     * A file of a colliding pair.
     *
     * @param path           its path on a (b's when a deleted it)
     * @param pathA          its path on a's source ({@code null} when a deleted it)
     * @param pathB          its path on b's source
     * @param conflicts      whether its trial merge conflicts
     * @param collidingHunks pairs {@code [hunkOfA, hunkOfB]} that overlap or touch, in merge-base coordinates
     */
    public record ConflictFile(String path, String pathA, String pathB, boolean conflicts,
                               List<List<dev.stigmergy.git.Hunk>> collidingHunks) {
    }
}
