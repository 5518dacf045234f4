package dev.stigmergy.pheromone;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * A validator's verdict on a pheromone (DESIGN.md §2 reinforcement). Decay is folded in first; the payload
 * never changes.
 *
 * @param approve       approve (adds {@code boost}) or reject (subtracts {@code penalty})
 * @param boost         intensity added by an approval, finite, 0–maxIntensity, default 1.0; not with a reject
 * @param penalty       intensity removed by a reject, finite, 0–maxIntensity, default 1.0; not with an approval
 * @param extendSeconds pushes visibleUntil later (EXPIRY and REINFORCEMENT_ONLY types), 1 s to 30 days
 * @param trigger       what prompted the verdict (a CI run, a review), recorded as given
 */
public record Verdict(@NotNull Boolean approve, Double boost, Double penalty,
                      @Min(1) @Max(2_592_000) Long extendSeconds,
                      @Size(max = 500) String trigger) {
}
