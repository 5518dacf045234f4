package dev.stigmergy.environment;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request to create an environment.
 *
 * @param name        1–64 of lower-case letters, digits, {@code . _ -}, starting with a letter or digit
 * @param description optional, up to 2000 characters
 * @param repository  optional git repository: a local path or a clone URL, up to 1000 characters
 */
public record CreateEnvironment(
        @NotNull @Pattern(regexp = EnvironmentService.NAME, message = EnvironmentService.NAME_MESSAGE) String name,
        @Size(max = 2000) String description,
        @Size(min = 1, max = 1000) @Pattern(regexp = "[^\\x00-\\x1f]*", message = "must not contain control characters")
        String repository) {
}
