package dev.stigmergy.lock;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records the expiry of lapsed locks nobody touched ({@code lock.expired}) every
 * {@code stigmergy.lock.sweep-interval}. Expiry never depends on it: a lapsed lock is free on every read
 * and write.
 */
@ApplicationScoped
public class LockSweep {

    private final LockService locks;
    private final LockConfig config;

    public LockSweep(LockService locks, LockConfig config) {
        this.locks = locks;
        this.config = config;
    }

    @Scheduled(every = "{stigmergy.lock.sweep-interval}", delayed = "{stigmergy.lock.sweep-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        // loop until a batch comes back short: a backlog after downtime drains in one run
        int batch = config.sweepBatchSize();
        while (locks.sweep() == batch) {
            // a full batch: more may be waiting
        }
    }
}
