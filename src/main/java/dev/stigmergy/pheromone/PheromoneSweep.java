package dev.stigmergy.pheromone;

import dev.stigmergy.event.EventLog;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Removes pheromones that are already invisible (DESIGN.md §2: decay costs no writes). It never touches a
 * live row: it deletes by {@code visible_until <= now} on an index, in bounded batches, each its own
 * transaction with one {@code pheromone.evaporated} event.
 */
@ApplicationScoped
public class PheromoneSweep {

    private final PheromoneRepository repository;
    private final EventLog events;
    private final PheromoneConfig config;
    private final Clock clock;

    public PheromoneSweep(PheromoneRepository repository, EventLog events, PheromoneConfig config, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${stigmergy.pheromone.sweep-every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /**
     * Runs up to {@code sweepMaxBatches} batches of at most {@code sweepBatchSize} deletions of rows invisible now.
     *
     * @return rows removed
     */
    public int sweep() {
        Instant now = clock.instant();
        int removed = 0;
        for (int i = 0; i < config.sweepMaxBatches(); i++) {
            int n = batch(now);
            removed += n;
            if (n < config.sweepBatchSize()) {
                break;
            }
        }
        return removed;
    }

    /** One batch, one transaction, one event; answers the rows removed. */
    @Transactional
    int batch(Instant now) {
        List<PheromoneRepository.Evaporated> gone = repository.deleteInvisible(now, config.sweepBatchSize());
        if (!gone.isEmpty()) {
            events.append(now, "pheromone.evaporated", null, null, null, Map.of("count", gone.size(),
                    "pheromones", gone.stream().map(PheromoneRepository.Evaporated::id).toList(),
                    "types", gone.stream().map(PheromoneRepository.Evaporated::type).distinct().sorted().toList()));
        }
        return gone.size();
    }
}
