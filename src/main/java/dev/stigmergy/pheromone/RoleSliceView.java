package dev.stigmergy.pheromone;

import dev.stigmergy.event.EventSelector;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A role's slice of the medium (DESIGN.md §1 "role"). Type patterns are selectors: a name or {@code *} in each
 * dotted segment ({@code importance}, {@code request.*}, {@code *.replayed}, {@code *}). Service-owned types are never writable, whatever {@code writes} says.
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

    /**
     * What a type pattern may hold before it is parsed; the grammar itself is {@link EventSelector}'s (a name or
     * {@code *} in each dotted segment), checked by {@link RoleSliceService#put} so that a bad pattern is a 400 that
     * says where it fails.
     */
    static final String PATTERN = ".{1,100}";

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

    // patterns are few and slices are read on every deposit and sensing call: parsed once
    private static final Map<String, EventSelector> PARSED = new ConcurrentHashMap<>();

    /**
     * Whether {@code type} matches one of {@code patterns}: the event selector grammar, {@code *} standing for one or
     * more whole segments in any position ({@code request.*}, {@code *.replayed}, {@code *}).
     */
    static boolean matches(List<String> patterns, String type) {
        for (String p : patterns) {
            if (p.equals("*") || p.equals(type) || selector(p).matches(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @throws dev.stigmergy.event.MalformedSelectorException the pattern breaks the grammar; names where (400)
     */
    static EventSelector selector(String pattern) {
        EventSelector known = PARSED.get(pattern);
        if (known != null) {
            return known;
        }
        EventSelector parsed = EventSelector.parse(pattern);
        if (PARSED.size() < 10_000) {
            PARSED.put(pattern, parsed);
        }
        return parsed;
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
