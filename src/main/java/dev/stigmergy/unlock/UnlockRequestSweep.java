package dev.stigmergy.unlock;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records the expiry of undecided unlock requests ({@code unlock-request.expired}) every
 * {@code stigmergy.unlock-request.sweep-interval}. Reads never wait for it: a lapsed PENDING request reads
 * as EXPIRED.
 */
@ApplicationScoped
public class UnlockRequestSweep {

    private final UnlockRequestService requests;
    private final UnlockRequestConfig config;

    public UnlockRequestSweep(UnlockRequestService requests, UnlockRequestConfig config) {
        this.requests = requests;
        this.config = config;
    }

    @Scheduled(every = "{stigmergy.unlock-request.sweep-interval}", delayed = "{stigmergy.unlock-request.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int batch = config.sweepBatchSize();
        while (requests.sweep() == batch) {
            // a full batch: more may be waiting
        }
    }
}
