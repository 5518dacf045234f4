package dev.stigmergy.dependency;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A request to make an entity depend on another.
 *
 * @param dependsOn address {@code kind/key} of the entity that must be done first, in the same environment
 */
public record AddDependency(@NotNull @Pattern(regexp = ADDRESS, message = "must be an entity address kind/key")
                            String dependsOn) {

    static final String ADDRESS = "[a-z][a-z0-9-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}";
}
