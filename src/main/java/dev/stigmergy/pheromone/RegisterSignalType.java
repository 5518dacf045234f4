package dev.stigmergy.pheromone;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Registers (POST) or replaces (PUT) a signal type.
 *
 * @param name           lower_snake, 1-48 of a-z 0-9 _ starting with a letter ({@code take_up_interest}); any other
 *                       spelling is refused (400, suggesting the lower_snake form); a family prefix {@code request.}, {@code completion.},
 *                       {@code error.}, {@code claim.}, {@code heartbeat.} or {@code discovery.} is kept. Ignored by PUT.
 * @param decay          mandatory decay policy; PERMANENT is refused (service-owned types only)
 * @param maxIntensity   ceiling of any pheromone's intensity, default 10
 * @param depositCap     ceiling a plain deposit reaches, ≤ maxIntensity; default none (maxIntensity)
 * @param writeRoles     roles that may deposit, default {@code ["*"]}
 * @param reinforceRoles roles that may give verdicts, default {@code ["validator", "admin"]}
 * @param displayName    default: the name
 * @param description    default empty
 * @param colour         {@code #rrggbb}, optional
 */
public record RegisterSignalType(
        @NotBlank @Size(max = 64) String name,
        @NotNull(message = "a decay policy is mandatory: give decay.kind EXPONENTIAL(halfLifeSeconds, floor), "
                + "EXPIRY(ttlSeconds) or REINFORCEMENT_ONLY(windowSeconds)") @Valid DecayPolicy decay,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") Double maxIntensity,
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") Double depositCap,
        @Size(max = 32) List<@NotNull @Pattern(regexp = "\\*|[a-z][a-z0-9_-]{0,31}") String> writeRoles,
        @Size(max = 32) List<@NotNull @Pattern(regexp = "\\*|[a-z][a-z0-9_-]{0,31}") String> reinforceRoles,
        @Size(max = 100) String displayName,
        @Size(max = 1000) String description,
        @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "must be #rrggbb") String colour) {
}
