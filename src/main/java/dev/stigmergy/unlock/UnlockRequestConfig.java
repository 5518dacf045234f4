package dev.stigmergy.unlock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Unlock request settings, {@code stigmergy.unlock-request.*}. */
@ConfigMapping(prefix = "stigmergy.unlock-request")
public interface UnlockRequestConfig {

    /** How long a request waits for a decision when it names no {@code ttlSeconds}; default 900 (15 min). */
    @WithDefault("900")
    int defaultTtlSeconds();

    /** Longest {@code ttlSeconds} a request may ask for; default 86400 (1 day). */
    @WithDefault("86400")
    int maxTtlSeconds();

    /** How often the sweep records the expiry of undecided requests; default 30 s. Reads never wait for it. */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Most requests one sweep transaction expires; default 500. */
    @WithDefault("500")
    int sweepBatchSize();
}
