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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

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

    private final PheromoneRepository repository;
    private final EventLog events;
    private final PheromoneConfig config;
    /** One queue per writer thread; an entity's deposits always go to the same one. */
    private final List<LinkedBlockingQueue<Queued>> queues = new ArrayList<>();
    private final List<Thread> writers = new ArrayList<>();
    private volatile boolean running;

    DepositBatcher(PheromoneRepository repository, EventLog events, PheromoneConfig config) {
        this.repository = repository;
        this.events = events;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        running = true;
        for (int i = 0; i < config.depositWriters(); i++) {
            LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
            Thread writer = new Thread(() -> run(queue), "pheromone-deposits-" + i);
            writer.setDaemon(true);
            queues.add(queue);
            writers.add(writer);
        }
        writers.forEach(Thread::start);
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        for (Thread writer : writers) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        queues.forEach(DepositBatcher::answerWithNull);
    }

    /**
     * Writes {@code deposit} in its writer's next round and answers it as written (its row with its id), or {@code
     * null}, having written nothing, when the caller must deposit under the row lock.
     */
    PheromoneService.Folded deposit(Pending deposit) {
        if (!running) {
            return null;
        }
        LinkedBlockingQueue<Queued> queue = queues.get(Math.floorMod(Long.hashCode(deposit.entity().id()), queues.size()));
        Queued queued = new Queued(deposit, new CompletableFuture<>());
        queue.add(queued);
        if (!running) {
            answerWithNull(queue); // stopped meanwhile: its writer may have drained the queue already
        }
        return queued.answer().join();
    }

    private void run(LinkedBlockingQueue<Queued> queue) {
        List<Queued> round = new ArrayList<>();
        while (running) {
            try {
                Queued first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                round.add(first);
                queue.drainTo(round, config.depositRoundMax() - 1);
                write(round);
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                LOG.warnf("a round of %d deposits was not written (%s); each deposits again under its row lock",
                        round.size(), e.getMessage());
            } finally {
                round.forEach(q -> q.answer().complete(null)); // no-op for the answered
                round.clear();
            }
        }
        answerWithNull(queue);
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

    private static void answerWithNull(LinkedBlockingQueue<Queued> queue) {
        for (Queued q; (q = queue.poll()) != null; ) {
            q.answer().complete(null);
        }
    }
}
