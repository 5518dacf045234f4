package dev.stigmergy.lock;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /entities/{kind}/{key}/lock/force-release} (admin).
 *
 * @param reason why the admin ends another agent's hold; required, recorded in the event
 */
public record ForceRelease(@NotBlank @Size(max = 1000) String reason) {
}
