package dev.stigmergy.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the event stream ({@code GET /events/stream}) and its live reader. */
@ConfigMapping(prefix = "stigmergy.events")
public interface EventStreamConfig {

    /** Interval between heartbeat comments on a stream, in milliseconds; keeps idle connections open. */
    @WithDefault("15000")
    long heartbeatIntervalMillis();

    /**
     * How long the live reader waits for a missing id to commit before it treats it as rolled back and
     * reads on, in milliseconds. Ids are drawn before commit, so a smaller id may commit after a larger one.
     */
    @WithDefault("2000")
    long gapTimeoutMillis();

    /** Events one stream may have waiting for its client; past it the stream is closed as too slow. */
    @WithDefault("1000")
    int bufferLimitEvents();

    /** Longest wait between two reads of the log when no notification arrives, in milliseconds. */
    @WithDefault("1000")
    long pollIntervalMillis();

    /** Pause before reconnecting the LISTEN connection after it failed, in milliseconds. */
    @WithDefault("1000")
    long listenReconnectMillis();

    /** Events read from the log per query, by the live reader and by replays. */
    @WithDefault("500")
    int readPageEvents();

    /**
     * {@code true} shows every event to every role on {@code GET /events} and {@code GET /events/stream}, the
     * behaviour before issue 27; default {@code false}: events of pheromones show only to roles whose slice reads
     * their signal type (DESIGN.md §1 "role": a role senses its local slice only).
     */
    @WithDefault("false")
    boolean allEventsVisible();
}
