package dev.stigmergy.intent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * What a pre-commit or pre-push hook asks: do these changes collide with what another agent holds at L3/L4?
 * Give exactly one of {@code files} (staged paths with the line ranges of their hunks: judged line by line),
 * {@code paths} (whole paths) or {@code fromCommit} and {@code toCommit} (a range the environment's repository
 * holds, judged on the hunks of {@code git diff fromCommit toCommit}, line by line like {@code files}).
 *
 * @param paths      up to 10,000 repo-relative paths, each judged as a whole file
 * @param files      up to 10,000 changed files with their hunks' line ranges
 * @param fromCommit exclusive start of a commit range
 * @param toCommit   inclusive end of a commit range
 */
public record VerifyChanges(@Size(max = 10_000) List<@NotNull @Size(min = 1, max = 1024) String> paths,
                            @Size(max = 10_000) List<@NotNull @Valid TouchedFile> files,
                            @Size(max = 255) String fromCommit, @Size(max = 255) String toCommit) {
}
