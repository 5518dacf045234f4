package dev.stigmergy.agent;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Request to register an agent.
 *
 * @param id          stable identity: 1–64 of lower-case letters, digits, {@code . _ -}, starting with a
 *                    letter or digit
 * @param displayName human-readable name, 1–200 characters, not blank; default the id
 * @param roles       registered role names, the first being the default acting role; default {@code [agent]}
 * @param environments existing environment names the agent may reach (issue 27), at most 256; absent or empty: every one
 * @param tokenExpiresInSeconds the token answers 401 this many seconds after registration, 1 s to 10 years;
 *                    default: it never expires
 */
public record RegisterAgent(
        @NotNull @Pattern(regexp = Ids.AGENT_ID, message = Ids.AGENT_ID_MESSAGE) String id,
        @Pattern(regexp = "(?s).*\\S.*", message = "must not be blank") @Size(max = 200) String displayName,
        @Size(max = 16) List<@NotNull @Pattern(regexp = Ids.ROLE, message = "must be a role name") String> roles,
        @Min(1) @Max(315_360_000) Long tokenExpiresInSeconds,
        @Size(max = 256) List<@NotNull @Size(min = 1, max = 64) String> environments) {
}
