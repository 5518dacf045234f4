package dev.stigmergy.intent;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/** Records the expiry of intents whose lease ran out, in bounded batches (expiry itself needs no job). */
@ApplicationScoped
public class IntentSweep {

    private final IntentService intents;

    public IntentSweep(IntentService intents) {
        this.intents = intents;
    }

    @Scheduled(every = "${stigmergy.intent.sweep-interval:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        while (intents.sweepExpired(500) == 500) {
            // a full batch: more may be due
        }
    }
}
