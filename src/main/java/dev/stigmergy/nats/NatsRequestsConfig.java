package dev.stigmergy.nats;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Requests to the service through NATS (issue 29); on when {@code stigmergy.nats.url} is set, on the subjects
 * {@code <stigmergy.nats.subject-prefix>.<environment>.deposit} and {@code .heartbeat}.
 */
@ConfigMapping(prefix = "stigmergy.nats.requests")
public interface NatsRequestsConfig {

    /** {@code false} leaves the subjects unanswered while the event bridge still publishes. */
    @WithDefault("true")
    boolean enabled();

    /** NATS queue group: with several replicas, each request is answered by exactly one of them. */
    @WithDefault("stigmergy")
    String queueGroup();

    /** Threads answering requests (each call takes a database connection while it runs). */
    @WithDefault("4")
    int workers();
}
