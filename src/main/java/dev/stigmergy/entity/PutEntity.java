package dev.stigmergy.entity;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Creates an entity, or updates its title and status.
 *
 * @param environment environment the entity belongs to; fixed once created
 * @param title       1–500 characters, e.g. a commit subject
 * @param status      lower-case word of 1–32 of {@code a-z _}, default {@code open}
 */
public record PutEntity(
        @NotNull @Size(max = 64) String environment,
        @NotBlank @Size(max = 500) String title,
        @Pattern(regexp = "[a-z][a-z_]{0,31}", message = "must be 1-32 of a-z and _") String status) {
}
