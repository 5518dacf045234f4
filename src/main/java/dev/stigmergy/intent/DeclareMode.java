package dev.stigmergy.intent;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a declaration treats denied files. */
public enum DeclareMode {
    /** Any denied file: nothing is created, 409 with the full report. The default. */
    @JsonProperty("all-or-nothing") ALL_OR_NOTHING,
    /** Create the intent with the files that are not denied; 409 only when every file is denied. */
    @JsonProperty("partial") PARTIAL,
    /** Report only; nothing is created. */
    @JsonProperty("dry-run") DRY_RUN
}
