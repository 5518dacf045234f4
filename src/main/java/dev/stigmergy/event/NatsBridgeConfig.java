package dev.stigmergy.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The NATS JetStream bridge of the event log; off unless {@code url} is set (env {@code STIGMERGY_NATS_URL}). */
@ConfigMapping(prefix = "stigmergy.nats")
public interface NatsBridgeConfig {

    /** NATS server URL, e.g. {@code nats://127.0.0.1:4222}; absent: no bridge. */
    Optional<String> url();

    /** JetStream stream the events go to; created (file storage) when missing. Its published position is stored under this name. */
    @WithDefault("STIGMERGY_EVENTS")
    String stream();

    /** First token of every subject: {@code <prefix>.<environment>.<entityKind>.<entityKey>.<eventType>}. */
    @WithDefault("stigmergy")
    String subjectPrefix();

    /**
     * How long JetStream keeps an event ({@code max_age} of the stream, applied to an existing stream at connect):
     * by default the event log's own retention, {@code stigmergy.retention.event-age} (30 days).
     */
    @WithDefault("${stigmergy.retention.event-age:30d}")
    java.time.Duration maxAge();

    /** Most events published per round (one PostgreSQL transaction holds the position meanwhile). */
    @WithDefault("500")
    int batchEvents();

    /** Pause between rounds when nothing was left to publish, in milliseconds. */
    @WithDefault("200")
    long pollIntervalMillis();

    /** Pause before retrying after NATS or PostgreSQL failed, in milliseconds. */
    @WithDefault("1000")
    long retryMillis();
}
