package dev.stigmergy.lock;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /fencing/check}.
 *
 * @param entity       entity address {@code kind/key}
 * @param fencingToken the fencing token a holder presents, as its grant named it
 */
public record FencingCheck(@NotBlank @Size(max = 200) String entity, @NotNull Long fencingToken) {
}
