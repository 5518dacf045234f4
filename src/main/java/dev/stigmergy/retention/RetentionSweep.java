package dev.stigmergy.retention;

import dev.stigmergy.event.EventRetention;
import dev.stigmergy.event.NatsBridge;
import dev.stigmergy.intent.IntentRetention;
import dev.stigmergy.pheromone.VerdictRetention;
import dev.stigmergy.unlock.UnlockRequestRetention;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Removes what has ended and aged past its retention (issue 29, DESIGN.md §7 "Retention"): events older than
 * {@code eventAge}, intents and unlock requests that ended more than {@code endedHoldAge} ago, verdicts older than
 * {@code verdictAge}. Evaporated pheromones are removed by {@code PheromoneSweep} as soon as they are invisible.
 * Nothing live is touched: each owner's statement selects ended rows only. Work is cut into batches of
 * {@code batchSize} rows, each its own short transaction, at most {@code maxBatches} per table and run, with a
 * pause between batches; replicas may run it at once (rows are taken with {@code skip locked}).
 */
@ApplicationScoped
public class RetentionSweep {

    private final EventRetention events;
    private final IntentRetention intents;
    private final UnlockRequestRetention unlockRequests;
    private final VerdictRetention verdicts;
    private final NatsBridge nats;
    private final RetentionConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;

    public RetentionSweep(EventRetention events, IntentRetention intents, UnlockRequestRetention unlockRequests,
                          VerdictRetention verdicts, NatsBridge nats, RetentionConfig config, Clock clock,
                          MeterRegistry metrics) {
        this.events = events;
        this.intents = intents;
        this.unlockRequests = unlockRequests;
        this.verdicts = verdicts;
        this.nats = nats;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Scheduled(every = "${stigmergy.retention.every:60s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        sweep();
    }

    /**
     * One run over every table, oldest first.
     *
     * @return rows removed per table ({@code event}, {@code intent}, {@code unlock_request}, {@code pheromone_verdict})
     */
    public Map<String, Integer> sweep() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS); // PostgreSQL keeps microseconds
        // an event the NATS bridge has not yet published stays, however old: nothing acknowledged is lost
        long cap = nats.running() ? nats.publishedUpTo() : Long.MAX_VALUE;
        Map<String, Integer> removed = new LinkedHashMap<>();
        Instant eventCutoff = now.minus(config.eventAge());
        removed.put("event", batches("event", () -> events.removeBatch(now, eventCutoff, cap, config.batchSize()).count()));
        Instant holdCutoff = now.minus(config.endedHoldAge());
        removed.put("intent", batches("intent", () -> intents.removeEnded(now, holdCutoff, config.batchSize())));
        removed.put("unlock_request", batches("unlock_request",
                () -> unlockRequests.removeEnded(now, holdCutoff, config.batchSize())));
        Instant verdictCutoff = now.minus(config.verdictAge());
        removed.put("pheromone_verdict", batches("pheromone_verdict",
                () -> verdicts.removeOld(now, verdictCutoff, config.batchSize())));
        return removed;
    }

    private int batches(String table, IntSupplier batch) {
        Counter counter = Counter.builder("stigmergy.retention.removed").tag("table", table)
                .description("Rows retention removed").register(metrics);
        int total = 0;
        for (int i = 0; i < config.maxBatches(); i++) {
            int n = batch.getAsInt();
            total += n;
            counter.increment(n);
            if (n < config.batchSize()) {
                break;
            }
            pause();
        }
        return total;
    }

    private void pause() {
        if (config.pauseMillis() <= 0) {
            return;
        }
        try {
            Thread.sleep(config.pauseMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
