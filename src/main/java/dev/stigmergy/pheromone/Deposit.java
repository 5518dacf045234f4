package dev.stigmergy.pheromone;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * A deposit on an entity (DESIGN.md §2). The depositor is the token's agent; claim fields cannot be set.
 *
 * @param type            registered signal type, lower_snake as registered
 * @param intensity       added intensity, finite and &gt; 0, default 1.0; the result is capped at the type's
 *                        depositCap / maxIntensity
 * @param payload         optional JSON, at most {@code stigmergy.pheromone.payload-max-bytes} (default 4096) bytes
 * @param halfLifeSeconds override of the half-life (EXPONENTIAL types only), within the type's
 *                        [minHalfLifeSeconds, maxHalfLifeSeconds]
 */
public record Deposit(@NotBlank @Size(max = 64) String type,
                      Double intensity,
                      JsonNode payload,
                      @Min(1) @Max(25_920_000) Long halfLifeSeconds) {
}
