package dev.stigmergy.pheromone;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * A role's slice of the medium (DESIGN.md §1 "role"). Type patterns are an exact type name, a family
 * ({@code request.*}) or {@code *}. Service-owned types are never writable, whatever {@code writes} says.
 *
 * @param role       the role; ignored on PUT (the path names it)
 * @param reads      types whose pheromones calls in this role may sense
 * @param writes     types it may deposit and remove
 * @param reinforces types it may give verdicts on
 * @param localQuery what {@code GET /pheromones/slice} answers for the role
 */
public record RoleSliceView(@Size(max = 32) String role,
                            @NotNull @Size(max = 64) List<@NotNull @Pattern(regexp = PATTERN) String> reads,
                            @NotNull @Size(max = 64) List<@NotNull @Pattern(regexp = PATTERN) String> writes,
                            @NotNull @Size(max = 64) List<@NotNull @Pattern(regexp = PATTERN) String> reinforces,
                            @NotNull @Valid LocalQuery localQuery) {

    static final String PATTERN = "\\*|[a-z][a-z0-9_]{0,63}(\\.\\*|\\.[a-z][a-z0-9_]{0,63})?";

    /**
     * The role's local query.
     *
     * @param environment  only this environment, or {@code null} for all
     * @param entityKinds  only these entity kinds; empty for all
     * @param types        only these type patterns (within {@code reads}); empty for all that it reads
     * @param minIntensity only aggregates at or above this intensity, ≥ 0
     * @param limit        at most this many (entity, type) aggregates, 1–1000; default {@value #DEFAULT_LIMIT}
     */
    public record LocalQuery(@Size(max = 64) String environment,
                             @NotNull @Size(max = 32) List<@NotNull @Size(max = 40) String> entityKinds,
                             @NotNull @Size(max = 64) List<@NotNull @Pattern(regexp = PATTERN) String> types,
                             @DecimalMin("0") double minIntensity,
                             @Min(1) @Max(1000) Integer limit) {

        /** The limit of a local query that names none. */
        public static final int DEFAULT_LIMIT = 100;
    }

    /** Whether {@code type} matches one of {@code patterns}. */
    static boolean matches(List<String> patterns, String type) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type)
                    || (p.endsWith(".*") && type.startsWith(p.substring(0, p.length() - 1)))) {
                return true;
            }
        }
        return false;
    }

    boolean canRead(String type) {
        return matches(reads, type);
    }

    boolean canWrite(String type) {
        return matches(writes, type);
    }

    boolean canReinforce(String type) {
        return matches(reinforces, type);
    }
}
