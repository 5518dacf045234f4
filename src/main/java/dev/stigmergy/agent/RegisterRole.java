package dev.stigmergy.agent;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Request to register a role (admin). What the role may sense and write is its slice, set through
 * {@code PUT /roles/{name}/slice}; until then it reads every signal type and writes none.
 *
 * @param name        1–32 of a-z 0-9 _ - starting with a letter
 * @param description what an agent acting in it does, default empty
 * @param readOnly    whether calls acting in it may only read (GET, HEAD), default false
 */
public record RegisterRole(
        @NotNull @Pattern(regexp = Ids.ROLE, message = "must be 1-32 of a-z 0-9 _ - starting with a letter") String name,
        @Size(max = 500) String description,
        Boolean readOnly) {
}
