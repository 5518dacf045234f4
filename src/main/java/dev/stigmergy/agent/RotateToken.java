package dev.stigmergy.agent;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A request to rotate an agent's token.
 *
 * @param graceSeconds          how long the old token stays valid beside the new one, 0–86400 seconds; default 300
 * @param tokenExpiresInSeconds the new token answers 401 this many seconds after the rotation, 1 s to 10 years;
 *                              default: it never expires
 */
public record RotateToken(@Min(0) @Max(86400) Integer graceSeconds,
                          @Min(1) @Max(315_360_000) Long tokenExpiresInSeconds) {
}
