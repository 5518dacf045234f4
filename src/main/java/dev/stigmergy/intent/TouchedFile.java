package dev.stigmergy.intent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A file a commit changes, with the line ranges its hunks replace, in the coordinates of the version the change
 * starts from (git's {@code -U0} old side: the lines the agents declared their intents against).
 *
 * @param path       repo-relative path of a file
 * @param lineRanges 1-based inclusive ranges; absent or empty for the whole file (added, deleted, binary)
 */
public record TouchedFile(
        @NotNull @Size(min = 1, max = 1024) String path,
        @Size(max = 10_000) List<@NotNull @Valid LineRange> lineRanges) {
}
