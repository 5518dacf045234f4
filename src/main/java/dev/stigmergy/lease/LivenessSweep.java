package dev.stigmergy.lease;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Announces, every {@code stigmergy.liveness.sweep-interval}, the liveness changes that time alone makes (a
 * heartbeat growing old, leases lapsing). Reads never wait for it: they derive liveness at their own instant.
 */
@ApplicationScoped
public class LivenessSweep {

    private final LivenessService liveness;

    public LivenessSweep(LivenessService liveness) {
        this.liveness = liveness;
    }

    @Scheduled(every = "{stigmergy.liveness.sweep-interval}", delayed = "{stigmergy.liveness.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        liveness.announce();
    }
}
