package dev.stigmergy.pheromone;

import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.event.EventLog;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit for the deposits made outside a transaction (benchmark P2): callers queue their deposit for the
 * writer thread of its entity, which writes whatever has queued meanwhile, up to {@code
 * stigmergy.pheromone.deposit-round-max} deposits, as a round of two statements: one read of their rows, then one
 * autocommit write of every folded row with its event.
 * The rows are read without a lock and each is written only if unchanged since; a deposit whose row changed, whose
 * first insert lost to a concurrent one, or whose key another deposit of the round already has, is answered
 * {@code null} and makes it again under the row lock ({@link PheromoneService#deposit}). So is every deposit of
 * a round whose statement failed (the database restarting, a deadlock with another writer): the statement is
 * atomic, so none of them was written. A deposit is answered only once its round committed.
 *
 * <p>Under light load a round holds one deposit and costs what a lone deposit did; under load the statements'
 * round trips, commits and the aggregate triggers' work are shared by the round. Writers ({@code
 * stigmergy.pheromone.deposit-writers}) split the entities between them: rows and aggregate pairs belong to one
 * entity, so two rounds written at once never wait for each other's locks.
 *
 * <p>A caller that finds its writer idle writes the round itself, on its own thread, until its own deposit is
 * written (benchmark P12: a lone agent's deposit then waits for no thread hand-off, each of which cost a scheduling
 * delay on a busy machine); deposits queued meanwhile go on with the writer thread, which it wakes. Who writes is
 * decided by one flag per writer, so rounds of one writer's entities are still written one at a time.
 */
@ApplicationScoped
class DepositBatcher {

    private static final Logger LOG = Logger.getLogger(DepositBatcher.class);

    /** A deposit validated by {@link PheromoneService#deposit}, for an agent acting as itself. */
    record Pending(EntityRef entity, SignalType type, String agent, double added, Long halfLife, String payload,
                   Instant now) {
    }

    private record Queued(Pending deposit, CompletableFuture<PheromoneService.Folded> answer) {
    }

    /** One writer's queue, the flag of whoever writes its rounds now, and its thread. */
    private static final class Writer {
        final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
        final AtomicBoolean writing = new AtomicBoolean();
        Thread thread;
    }

    private final PheromoneRepository repository;
    private final EventLog events;
    private final PheromoneConfig config;
    /** An entity's deposits always go to the same writer. */
    private final List<Writer> writers = new ArrayList<>();
    private volatile boolean running;

    DepositBatcher(PheromoneRepository repository, EventLog events, PheromoneConfig config) {
        this.repository = repository;
        this.events = events;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        for (int i = 0; i < config.depositWriters(); i++) {
            Writer writer = new Writer();
            writer.thread = new Thread(() -> run(writer), "pheromone-deposits-" + i);
            writer.thread.setDaemon(true);
            writers.add(writer);
        }
        writers.forEach(w -> w.thread.start());
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        for (Writer writer : writers) {
            LockSupport.unpark(writer.thread);
            try {
                writer.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writers.forEach(w -> answerWithNull(w.queue));
    }

    /**
     * Writes {@code deposit} in its writer's next round and answers it as written (its row with its id), or {@code
     * null}, having written nothing, when the caller must deposit under the row lock.
     */
    PheromoneService.Folded deposit(Pending deposit) {
        if (!running) {
            return null;
        }
        Writer writer = writers.get(Math.floorMod(Long.hashCode(deposit.entity().id()), writers.size()));
        Queued queued = new Queued(deposit, new CompletableFuture<>());
        writer.queue.add(queued);
        if (!running) {
            answerWithNull(writer.queue); // stopped meanwhile: its writer may have drained the queue already
        } else if (writer.writing.compareAndSet(false, true)) {
            // idle: write on this thread until this deposit is written, then leave the rest to the writer thread
            try {
                while (!queued.answer().isDone() && writeRound(writer.queue)) {
                }
            } finally {
                writer.writing.set(false);
            }
            if (!writer.queue.isEmpty()) {
                LockSupport.unpark(writer.thread); // queued while the flag was taken: the flag's holder left them
            }
        }
        return queued.answer().join();
    }

    private void run(Writer writer) {
        while (running) {
            // a caller that leaves queued deposits unparks this thread; the timeout only bounds a missed race
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            while (running && !writer.queue.isEmpty() && writer.writing.compareAndSet(false, true)) {
                try {
                    while (running && writeRound(writer.queue)) {
                    }
                } finally {
                    writer.writing.set(false);
                }
            }
        }
        answerWithNull(writer.queue);
    }

    /** Writes the next round of {@code queue}; {@code false} when it was empty. */
    private boolean writeRound(ConcurrentLinkedQueue<Queued> queue) {
        List<Queued> round = new ArrayList<>();
        for (Queued q; round.size() < config.depositRoundMax() && (q = queue.poll()) != null; ) {
            round.add(q);
        }
        if (round.isEmpty()) {
            return false;
        }
        try {
            write(round);
        } catch (RuntimeException e) {
            LOG.warnf("a round of %d deposits was not written (%s); each deposits again under its row lock",
                    round.size(), e.getMessage());
        } finally {
            round.forEach(q -> q.answer().complete(null)); // no-op for the answered
        }
        return true;
    }

    private void write(List<Queued> round) {
        Set<PheromoneRepository.DepositKey> seen = new HashSet<>();
        List<Queued> kept = new ArrayList<>();
        List<PheromoneRepository.DepositKey> keys = new ArrayList<>();
        for (Queued q : round) {
            Pending d = q.deposit();
            PheromoneRepository.DepositKey key = new PheromoneRepository.DepositKey(d.entity().id(), d.type().name, d.agent());
            if (seen.add(key)) {
                kept.add(q);
                keys.add(key);
            }
        }
        Map<PheromoneRepository.DepositKey, PheromoneRepository.Versioned> existing = repository.readRound(keys);
        List<PheromoneService.Folded> folded = new ArrayList<>();
        List<PheromoneRepository.RoundWrite> writes = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            Pending d = kept.get(i).deposit();
            PheromoneRepository.Versioned read = existing.get(keys.get(i));
            Pheromone row = read == null ? null : read.pheromone();
            double before = row == null ? 0 : PheromoneService.decayedIntensity(row, d.type(), d.now());
            PheromoneService.Folded f = PheromoneService.foldDeposit(row, before, d.entity(), d.type(), d.agent(),
                    d.added(), d.halfLife(), d.payload(), d.now());
            folded.add(f);
            writes.add(new PheromoneRepository.RoundWrite(f.row(), read == null ? null : read.rowVersion(), d.now(),
                    d.agent(), events.serialise(f.eventData())));
        }
        Map<Integer, PheromoneRepository.Written> written = repository.writeRound(writes);
        long lastEvent = 0;
        for (Map.Entry<Integer, PheromoneRepository.Written> w : written.entrySet()) {
            PheromoneService.Folded f = folded.get(w.getKey());
            f.row().id = w.getValue().pheromoneId();
            lastEvent = Math.max(lastEvent, w.getValue().eventId());
            kept.get(w.getKey()).answer().complete(f);
        }
        if (lastEvent > 0) {
            events.appended(lastEvent); // committed: the statement ran in autocommit
        }
    }

    private static void answerWithNull(ConcurrentLinkedQueue<Queued> queue) {
        for (Queued q; (q = queue.poll()) != null; ) {
            q.answer().complete(null);
        }
    }
}
