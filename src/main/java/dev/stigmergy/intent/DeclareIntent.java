package dev.stigmergy.intent;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Request to declare a file-update intent.
 *
 * @param entity       parent entity address {@code kind/key}, in the same environment
 * @param files        1–500 declared files
 * @param description  what the agent is about to do, 1–2000 characters
 * @param priority     1–10, higher wins L3 contests; default 5
 * @param leaseSeconds lease length in seconds, 1 to the configured maximum
 * @param branch       optional branch the work happens on
 * @param baseCommit   optional commit the work starts from; patterns are expanded against its tree
 * @param mode         {@code all-or-nothing} (default), {@code partial} or {@code dry-run}
 */
public record DeclareIntent(
        @NotNull @Size(max = 200) @Pattern(regexp = "[a-z][a-z0-9-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}",
                message = "must be an entity address kind/key") String entity,
        @NotEmpty @Size(max = 500) List<@NotNull @Valid DeclaredFile> files,
        @NotBlank @Size(max = 2000) String description,
        @Min(1) @Max(10) Integer priority,
        @NotNull @Min(1) Integer leaseSeconds,
        @Size(max = 255) String branch,
        @Size(max = 255) String baseCommit,
        DeclareMode mode) {
}
