package dev.stigmergy.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How long what has ended is kept (issue 29); env {@code STIGMERGY_RETENTION_*}. Durations take {@code 30d},
 * {@code 12h}, {@code 90s} or ISO-8601 ({@code P30D}).
 */
@ConfigMapping(prefix = "stigmergy.retention")
public interface RetentionConfig {

    /** Events older than this are removed from the log; the NATS stream's {@code max_age} follows it by default. */
    @WithDefault("30d")
    Duration eventAge();

    /** Intents and unlock requests that ended longer ago than this are removed. */
    @WithDefault("30d")
    Duration endedHoldAge();

    /** Verdicts older than this (and outside their type's reinforcement window) are removed. */
    @WithDefault("30d")
    Duration verdictAge();

    /** Rows one batch removes: one short transaction each, so no lock is held for long. */
    @WithDefault("500")
    int batchSize();

    /** Batches one run may take per table, bounding a run's work; the next run goes on. */
    @WithDefault("20")
    int maxBatches();

    /** Pause between two batches, in milliseconds, leaving the database to other work. */
    @WithDefault("20")
    long pauseMillis();

    /** How often retention runs (a duration such as {@code 60s}, or {@code off}); read by {@code @Scheduled}. */
    @WithDefault("60s")
    String every();
}
