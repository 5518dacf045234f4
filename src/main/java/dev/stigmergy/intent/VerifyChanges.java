package dev.stigmergy.intent;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * What a pre-commit or pre-push hook asks: do these changes touch files another agent holds at L3/L4?
 * Give either {@code paths} (staged paths, both sides of renames) or {@code fromCommit} and {@code toCommit}
 * (a range the environment's repository holds).
 *
 * @param paths      up to 10,000 repo-relative paths
 * @param fromCommit exclusive start of a commit range
 * @param toCommit   inclusive end of a commit range
 */
public record VerifyChanges(@Size(max = 10_000) List<@NotNull @Size(min = 1, max = 1024) String> paths,
                            @Size(max = 255) String fromCommit, @Size(max = 255) String toCommit) {
}
