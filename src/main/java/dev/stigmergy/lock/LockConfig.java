package dev.stigmergy.lock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Lock settings, {@code stigmergy.lock.*}. */
@ConfigMapping(prefix = "stigmergy.lock")
public interface LockConfig {

    /** Longest lease an acquire or renew may ask for, in seconds; default 3600 (1 h). */
    @WithDefault("3600")
    int maxLeaseSeconds();

    /** How often the sweep records the expiry of lapsed locks; default 30 s. Expiry itself never waits for it. */
    @WithDefault("30s")
    Duration sweepInterval();

    /** Most lapsed locks one sweep transaction ends; default 500. */
    @WithDefault("500")
    int sweepBatchSize();
}
