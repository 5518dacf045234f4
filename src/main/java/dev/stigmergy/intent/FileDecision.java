package dev.stigmergy.intent;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The decision on one declared file.
 *
 * @param path     as declared
 * @param level    as declared
 * @param outcome  {@code granted} (no overlap), {@code warning} (granted, overlaps reported) or {@code denied}
 * @param overlaps every overlapping active intent of another agent, with its effect
 */
public record FileDecision(String path, int level, Outcome outcome, List<Overlap> overlaps) {

    /** Outcome of one file. */
    public enum Outcome {
        @JsonProperty("granted") GRANTED,
        @JsonProperty("warning") WARNING,
        @JsonProperty("denied") DENIED
    }
}
