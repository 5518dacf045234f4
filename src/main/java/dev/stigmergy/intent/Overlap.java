package dev.stigmergy.intent;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Another agent's active intent that overlaps a declared file.
 *
 * @param intentId the overlapping intent
 * @param holder   its agent
 * @param entity   its parent entity address
 * @param path     its declared path that overlaps
 * @param level    its level on that path
 * @param priority its priority
 * @param effect   what the overlap does to the declared file
 */
public record Overlap(long intentId, String holder, String entity, String path, int level, int priority, Effect effect) {

    /** What an overlap does to the declared file. */
    public enum Effect {
        /** Reported; the file is granted. */
        @JsonProperty("warn") WARN,
        /** The file is denied. */
        @JsonProperty("deny") DENY,
        /** The declared file wins an L3 priority contest; the other intent loses this path. */
        @JsonProperty("preempt") PREEMPT
    }
}
