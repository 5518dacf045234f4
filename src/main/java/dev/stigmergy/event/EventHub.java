package dev.stigmergy.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Delivers the event log to open streams on this replica (DESIGN.md §5). One reader thread follows the log
 * in id order and hands each event to every live subscription; it wakes on a PostgreSQL notification
 * ({@link EventNotificationListener}, from any replica) or after {@code poll-interval-millis} at the latest.
 *
 * <p>Ids are drawn before commit, so a transaction holding a smaller id can commit after one holding a larger
 * id, and a rolled-back transaction leaves a hole. The reader keeps a high-water mark: every id up to it was
 * delivered or given up. It advances only over contiguous ids and waits up to {@code gap-timeout-millis} for a
 * missing id before treating it as rolled back, or less: a hole still open after
 * {@value #GAP_WRITERS_AFTER_MILLIS} ms makes it list the running writers, among them the transaction that drew
 * the id unless that has ended, so once all of those have ended, the id is visible or rolled back for good
 * ({@link EventLog#runningWriters}). Read-only transactions, later writers and other databases of the same
 * server do not delay it. Replays after {@code Last-Event-ID} read only up to the mark,
 * and a subscription switches from replay to live under the same lock that advances it: no gap, no duplicate.
 * While no stream is open on this replica the reader reads ids only, to keep the mark current.
 */
@ApplicationScoped
public class EventHub {

    private static final Logger LOG = Logger.getLogger(EventHub.class);

    /** How long a hole in the ids stays before the reader lists the running writers to learn its fate. */
    private static final long GAP_WRITERS_AFTER_MILLIS = 10;

    private final EventLog log;
    private final EventStreamConfig config;
    private final ObjectMapper json;

    private final Object lock = new Object();
    private final Object signal = new Object();
    private final List<EventSubscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicLong numbers = new AtomicLong();

    // guarded by lock
    private long highWater = -1;
    // reader thread only
    private long gapId = -1;
    private long gapSinceNanos;
    private String gapWriters;

    // guarded by signal
    private boolean woken;
    private volatile boolean running;
    private Thread reader;
    private ScheduledExecutorService heartbeats;
    private ExecutorService replays;

    public EventHub(EventLog log, EventStreamConfig config, ObjectMapper json) {
        this.log = log;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent started) {
        synchronized (lock) {
            highWater = log.lastId();
        }
        running = true;
        replays = Executors.newFixedThreadPool(2, daemon("event-replay"));
        heartbeats = Executors.newSingleThreadScheduledExecutor(daemon("event-heartbeat"));
        heartbeats.scheduleAtFixedRate(this::heartbeat, config.heartbeatIntervalMillis(),
                config.heartbeatIntervalMillis(), TimeUnit.MILLISECONDS);
        reader = new Thread(this::follow, "event-hub");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        running = false;
        wake();
        for (EventSubscription subscription : subscriptions) {
            subscription.close("service shutting down; reconnect with Last-Event-ID");
        }
        subscriptions.clear();
        if (heartbeats != null) {
            heartbeats.shutdownNow();
            replays.shutdownNow();
        }
        if (reader != null) {
            try {
                reader.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Opens a subscription with the configured buffer limit.
     *
     * @param after the client's {@code Last-Event-ID}: replay every matching event with a greater id first;
     *              {@code null} to start with the next live event
     */
    EventSubscription subscribe(EventFilter filter, Long after, EventSink sink) {
        return subscribe(filter, after, sink, config.bufferLimitEvents());
    }

    /** As {@link #subscribe(EventFilter, Long, EventSink)}, with a buffer of {@code bufferLimit} events (≥ 2). */
    EventSubscription subscribe(EventFilter filter, Long after, EventSink sink, int bufferLimit) {
        int page = Math.max(1, Math.min(config.readPageEvents(), bufferLimit / 2));
        EventSubscription[] self = new EventSubscription[1];
        EventSubscription subscription;
        synchronized (lock) {
            long position = after == null ? highWater : after;
            subscription = new EventSubscription(numbers.incrementAndGet(), filter, position, sink, bufferLimit, page,
                    () -> replays.execute(() -> replayStep(self[0])));
            self[0] = subscription;
            if (after == null || after >= highWater) {
                subscription.goLive();
            }
            subscriptions.add(subscription);
        }
        subscription.comment("subscribed");
        if (subscription.claimRead()) {
            replays.execute(() -> replayStep(subscription));
        }
        return subscription;
    }

    /**
     * Hands every matching event committed from now on, by any replica, to {@code listener}, in id order, on
     * this replica's delivery threads: the in-process counterpart of a stream, for doors that push changes
     * their own way (MCP resource subscriptions). The listener must return quickly and not throw.
     *
     * @return closes the listener; idempotent
     */
    public AutoCloseable listen(EventFilter filter, Consumer<EventView> listener) {
        EventSubscription subscription = subscribe(filter, null, new EventSink() {
            @Override
            public CompletionStage<?> send(List<StreamItem> items) {
                for (StreamItem item : items) {
                    if (!item.isComment()) {
                        try {
                            listener.accept(json.readValue(item.data(), EventView.class));
                        } catch (JsonProcessingException | RuntimeException e) {
                            LOG.warnf("event listener failed on event %d: %s", item.id(), e.getMessage());
                        }
                    }
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public void close() {
            }
        });
        return () -> unsubscribe(subscription, "listener closed");
    }

    /** Ends a subscription; idempotent. */
    void unsubscribe(EventSubscription subscription, String reason) {
        subscription.close(reason);
        subscriptions.remove(subscription);
    }

    /** Open subscriptions on this replica. */
    int subscriptionCount() {
        return subscriptions.size();
    }

    /** Every id up to this one was delivered to live subscriptions or given up as rolled back. */
    long highWater() {
        synchronized (lock) {
            return highWater;
        }
    }

    /** Asks the reader to read the log now; called on every notification. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void follow() {
        while (running) {
            long waitMillis = config.pollIntervalMillis();
            try {
                waitMillis = Math.min(waitMillis, readOn());
            } catch (RuntimeException e) {
                // the database may be restarting: keep the mark, read again after a pause
                LOG.warnf("event reader cannot read the log (%s); retrying", e.getMessage());
            }
            synchronized (signal) {
                if (!woken && running && waitMillis > 0) {
                    try {
                        signal.wait(waitMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                woken = false;
            }
        }
    }

    // reads after the mark and delivers what is contiguous; answers how long to wait at most before reading again
    private long readOn() {
        while (running) {
            long from = highWater();
            // checked before reading: if the id's transaction ended before this read, the read shows its fate
            boolean gapHoldersEnded = gapId == from + 1 && gapWriters != null && !log.anyStillRunning(gapWriters);
            // with no stream open only the mark moves: ids suffice, and every write path is spared loading its
            // events here (deliver re-checks under the lock, so a stream opened meanwhile makes us read again)
            List<EventView> rows = subscriptions.isEmpty() ? null
                    : log.readRange(from, Long.MAX_VALUE, config.readPageEvents(), null, null, null);
            List<Long> ids = rows == null ? log.readIds(from, config.readPageEvents())
                    : rows.stream().map(EventView::id).toList();
            if (ids.isEmpty()) {
                return config.pollIntervalMillis();
            }
            int contiguous = 0;
            long expected = from + 1;
            long gapWait = 0;
            for (long id : ids) {
                if (id != expected) {
                    if (gapId != expected) {
                        gapId = expected;
                        gapSinceNanos = System.nanoTime();
                        gapWriters = null;
                        gapHoldersEnded = false;
                    }
                    long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - gapSinceNanos);
                    // nearly every hole is a commit in flight, filled within milliseconds and announced: only one
                    // that outlasts that asks which writers run, a read of every backend's state (benchmark P1).
                    // Listed after a read that lacked the id, they include its writer if it had not ended by then
                    if (gapWriters == null && waited >= GAP_WRITERS_AFTER_MILLIS) {
                        gapWriters = log.runningWriters();
                    }
                    if (!gapHoldersEnded && waited < config.gapTimeoutMillis()) {
                        // look again soon: the holder's end is seen by polling, its commit by notification
                        long next = gapWriters == null ? GAP_WRITERS_AFTER_MILLIS - waited : 20;
                        gapWait = Math.max(1, Math.min(next, config.gapTimeoutMillis() - waited));
                        break;
                    }
                    LOG.debugf("ids %d..%d treated as rolled back (%s)", expected, id - 1,
                            gapHoldersEnded ? "their transactions ended" : "not committed within the gap timeout");
                }
                gapId = -1;
                contiguous++;
                expected = id + 1;
            }
            if (contiguous > 0 && !deliver(rows == null ? null : rows.subList(0, contiguous), ids.get(contiguous - 1))) {
                continue; // a stream opened while only ids were read
            }
            if (gapWait > 0) {
                return gapWait;
            }
            if (ids.size() < config.readPageEvents()) {
                return config.pollIntervalMillis();
            }
        }
        return 0;
    }

    /**
     * Delivers {@code events} to the live subscriptions and moves the mark to {@code lastId}; {@code events}
     * is {@code null} when only ids were read, and then nothing moves if a subscription exists by now.
     */
    private boolean deliver(List<EventView> events, long lastId) {
        List<EventSubscription> slow = new ArrayList<>();
        synchronized (lock) {
            if (events == null) {
                if (!subscriptions.isEmpty()) {
                    return false;
                }
                highWater = lastId;
                return true;
            }
            for (EventView event : events) {
                StreamItem item = null;
                for (EventSubscription subscription : subscriptions) {
                    if (subscription.state() != EventSubscription.State.LIVE) {
                        continue;
                    }
                    if (item == null) {
                        item = item(event);
                    }
                    if (!subscription.offer(event, item)) {
                        slow.add(subscription);
                    }
                }
                highWater = event.id();
            }
        }
        for (EventSubscription subscription : slow) {
            LOG.infof("stream %d closed: %s", subscription.number(), subscription.closeReason());
            subscriptions.remove(subscription);
        }
        return true;
    }

    // one replay page after the subscription's position, up to the mark; runs on a replay thread
    private void replayStep(EventSubscription subscription) {
        try {
            long upTo = highWater();
            long after = positionOf(subscription);
            EventFilter filter = subscription.filter();
            List<EventView> rows = after >= upTo ? List.of()
                    : log.readRange(after, upTo, subscription.replayPage(), filter.environment(), filter.entity(), filter.agent());
            for (EventView row : rows) {
                if (filter.test(row)) {
                    subscription.replay(item(row));
                }
            }
            long scanned = rows.size() == subscription.replayPage() ? rows.get(rows.size() - 1).id() : Math.max(after, upTo);
            synchronized (lock) {
                subscription.position(Math.max(subscription.position(), scanned));
                if (subscription.position() >= highWater) {
                    subscription.goLive();
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("stream %d cannot replay the log (%s)", subscription.number(), e.getMessage());
            unsubscribe(subscription, "cannot read the event log; reconnect with Last-Event-ID");
            return;
        } finally {
            subscription.endRead();
        }
        if (subscription.state() == EventSubscription.State.CLOSED) {
            subscriptions.remove(subscription);
        } else if (subscription.claimRead()) {
            replays.execute(() -> replayStep(subscription));
        }
    }

    private long positionOf(EventSubscription subscription) {
        synchronized (lock) {
            return subscription.position();
        }
    }

    private void heartbeat() {
        for (EventSubscription subscription : subscriptions) {
            if (subscription.state() == EventSubscription.State.CLOSED) {
                subscriptions.remove(subscription);
            } else {
                subscription.comment("heartbeat");
            }
        }
    }

    private StreamItem item(EventView event) {
        try {
            return StreamItem.event(event.id(), event.type(), json.writeValueAsString(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
