package dev.stigmergy.intent;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Request to compare what refs change.
 *
 * @param refs         2–10 branches, tags or commit ids; every pair is compared
 * @param contextLines widen hunk collision by this many lines on each side, 0–100; default 0 (overlapping
 *                     or touching hunks collide, as in git's merge)
 */
public record CompareRefs(@NotNull @Size(min = 2, max = 10) List<@NotNull @Size(min = 1, max = 255) String> refs,
                          @Min(0) @Max(100) Integer contextLines) {
}
