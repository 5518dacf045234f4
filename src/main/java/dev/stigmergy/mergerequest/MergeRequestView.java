package dev.stigmergy.mergerequest;

import java.time.Instant;
import java.util.List;

/**
 * A merge request bound to branches, as served.
 *
 * @param address      {@code merge-request/<key>}
 * @param environment  its environment
 * @param sourceRef    the ref to be merged
 * @param targetRef    the ref it merges into
 * @param state        {@code open}, {@code merged} or {@code closed}
 * @param author       the agent that created it (its own L3/L4 holds never block it)
 * @param sourceCommit the commit the radar last read {@code sourceRef} at; {@code null} before the first read or
 *                     when the ref does not resolve
 * @param targetCommit the commit the radar last read {@code targetRef} at
 * @param changedFiles files the source changes since its merge base with the target, sorted (new and old names
 *                     of renames); {@code null} before the first read
 * @param updatedAt    last change of its refs, state or commits (UTC)
 */
public record MergeRequestView(String key, String address, String environment, String title, String sourceRef,
                               String targetRef, String state, String author, String sourceCommit,
                               String targetCommit, List<String> changedFiles, Instant updatedAt) {
}
