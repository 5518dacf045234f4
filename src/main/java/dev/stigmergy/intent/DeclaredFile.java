package dev.stigmergy.intent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * One file (or directory, or glob) an intent declares.
 *
 * @param path       canonical repo-relative path, directory ({@code src/auth/}) or wildmatch glob
 * @param level      1 advisory, 2 soft reservation, 3 priority-based, 4 hard lock
 * @param lineRanges optional 1-based inclusive ranges narrowing the claim at L1–L3 on a plain path;
 *                   ignored at L4 (which always holds the whole file) and on globs
 */
public record DeclaredFile(
        @NotNull @Size(min = 1, max = 1024) String path,
        @Min(1) @Max(4) int level,
        @Size(max = 100) List<@NotNull @Valid LineRange> lineRanges) {
}
