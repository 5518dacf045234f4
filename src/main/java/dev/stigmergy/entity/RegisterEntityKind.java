package dev.stigmergy.entity;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request to register an entity kind.
 *
 * @param name        1–40 of lower-case letters, digits and {@code -}, starting with a letter
 * @param description optional, up to 2000 characters
 */
public record RegisterEntityKind(
        @NotNull @Pattern(regexp = EntityService.KIND, message = EntityService.KIND_MESSAGE) String name,
        @Size(max = 2000) String description) {
}
