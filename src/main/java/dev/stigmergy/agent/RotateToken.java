package dev.stigmergy.agent;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * A request to rotate an agent's token.
 *
 * @param graceSeconds how long the old token stays valid beside the new one, 0–86400 seconds; default 300
 */
public record RotateToken(@Min(0) @Max(86400) Integer graceSeconds) {
}
