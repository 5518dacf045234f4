package dev.stigmergy.intent;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of file-update intents ({@code stigmergy.intent.*}). */
@ConfigMapping(prefix = "stigmergy.intent")
public interface IntentConfig {

    /** Longest lease an intent may ask for, in seconds. */
    @WithDefault("86400")
    int maxLeaseSeconds();

    /** Lines of context around declared line ranges: ranges farther apart do not collide (git merges use 3). */
    @WithDefault("3")
    int contextLines();

    /** How often the sweep records expired intents. */
    @WithDefault("30s")
    java.time.Duration sweepInterval();
}
