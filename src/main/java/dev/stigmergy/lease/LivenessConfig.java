package dev.stigmergy.lease;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Agent liveness settings, {@code stigmergy.liveness.*}. */
@ConfigMapping(prefix = "stigmergy.liveness")
public interface LivenessConfig {

    /** An agent whose latest heartbeat is younger than this is {@code active}; default 60 s. */
    @WithDefault("60s")
    Duration activeInterval();

    /**
     * How often changes of liveness that happen by time alone (a heartbeat growing old, leases lapsing) are
     * announced as events; default 10 s. Reads derive liveness at their own instant and never wait for it.
     */
    @WithDefault("10s")
    Duration sweepInterval();
}
