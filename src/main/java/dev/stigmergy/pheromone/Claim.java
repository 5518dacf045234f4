package dev.stigmergy.pheromone;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * Claims (or, by its holder, renews) a pheromone.
 *
 * @param leaseSeconds lease length, 1 s to 1 h
 */
public record Claim(@NotNull @Min(1) @Max(3600) Long leaseSeconds) {
}
