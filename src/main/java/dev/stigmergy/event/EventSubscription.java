package dev.stigmergy.event;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One open stream: its filter, its position in the log and a bounded queue of items waiting for the client.
 * It first replays the log after the client's {@code Last-Event-ID} (state {@link State#REPLAYING}), then
 * receives live events from {@link EventHub} ({@link State#LIVE}); the hub switches it under its own lock,
 * so no event is missed or sent twice. At most one send is in flight; items wait in a queue of at most
 * {@code bufferLimit} events, past which the stream is closed as too slow: memory per stream is bounded.
 */
final class EventSubscription {

    enum State { REPLAYING, LIVE, CLOSED }

    /** Why streams end; the text goes into the final SSE comment. */
    static final String SLOW_CONSUMER = "slow consumer";

    /** Most items one write carries. */
    private static final int MAX_BATCH = 100;

    private final long number;
    private final EventFilter filter;
    private final EventSink sink;
    private final int bufferLimit;
    private final int replayPage;
    private final Runnable refill;
    private final ArrayDeque<StreamItem> queue = new ArrayDeque<>();
    private final AtomicInteger pumping = new AtomicInteger();

    // guarded by this
    private State state = State.REPLAYING;
    private boolean inFlight;
    private boolean reading;
    private int queuedEvents;
    private String closeReason;

    // guarded by the hub's lock: every id up to it was considered for this stream
    private long position;

    /**
     * @param replayPage events read from the log per replay step, at most half of {@code bufferLimit}
     * @param refill     schedules one replay step on another thread; called when there is room for a page
     */
    EventSubscription(long number, EventFilter filter, long position, EventSink sink, int bufferLimit,
                      int replayPage, Runnable refill) {
        this.number = number;
        this.replayPage = replayPage;
        this.filter = filter;
        this.position = position;
        this.sink = sink;
        this.bufferLimit = bufferLimit;
        this.refill = refill;
    }

    long number() {
        return number;
    }

    EventFilter filter() {
        return filter;
    }

    long position() {
        return position;
    }

    void position(long position) {
        this.position = position;
    }

    int bufferLimit() {
        return bufferLimit;
    }

    synchronized State state() {
        return state;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    /** Events waiting for the client, at most {@link #bufferLimit()}. */
    synchronized int queuedEvents() {
        return queuedEvents;
    }

    synchronized void goLive() {
        if (state == State.REPLAYING) {
            state = State.LIVE;
        }
    }

    int replayPage() {
        return replayPage;
    }

    /**
     * Claims the next replay step when the stream is replaying, no step is under way and a page fits in the
     * buffer; whoever gets true must run the step, which ends with {@link #endRead()}.
     */
    synchronized boolean claimRead() {
        if (state != State.REPLAYING || reading || queuedEvents + replayPage > bufferLimit) {
            return false;
        }
        reading = true;
        return true;
    }

    synchronized void endRead() {
        reading = false;
    }

    /** Queues a replayed event; the caller made room with {@link #beginRead}. */
    void replay(StreamItem item) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            queue.add(item);
            queuedEvents++;
        }
        pump();
    }

    /**
     * Offers a live event, in id order, under the hub's lock.
     *
     * @return false when the stream had to be closed because its client is too slow
     */
    boolean offer(EventView event, StreamItem item) {
        if (event.id() <= position) {
            return true;
        }
        position = event.id();
        if (!filter.test(event)) {
            return true;
        }
        synchronized (this) {
            if (state != State.LIVE) {
                return state != State.CLOSED;
            }
            if (queuedEvents >= bufferLimit) {
                closeLocked(SLOW_CONSUMER + ": more than " + bufferLimit
                        + " events waiting; reconnect with Last-Event-ID to resume");
                return false;
            }
            queue.add(item);
            queuedEvents++;
        }
        pump();
        return true;
    }

    /** Queues a comment unless the client is already behind; comments do not count against the buffer. */
    void comment(String text) {
        synchronized (this) {
            if (state == State.CLOSED || !queue.isEmpty()) {
                return;
            }
            queue.add(StreamItem.comment(text));
        }
        pump();
    }

    /** Ends the stream with a final comment naming {@code reason}; idempotent. */
    void close(String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            closeLocked(reason);
        }
    }

    // drops what the client has not read, so a stuck client holds no more memory, then says why and ends
    private void closeLocked(String reason) {
        state = State.CLOSED;
        closeReason = reason;
        queue.clear();
        queuedEvents = 0;
        try {
            sink.send(List.of(StreamItem.comment("closed: " + reason)));
        } catch (RuntimeException gone) {
            // the client may have gone already
        }
        sink.close();
    }

    // one send in flight, of everything queued (up to a batch), so a busy stream costs one write per batch, not one
    // per event (benchmark P7); completions re-enter here, possibly on the sending thread (hence the counter)
    private void pump() {
        if (pumping.getAndIncrement() != 0) {
            return;
        }
        do {
            List<StreamItem> batch = null;
            synchronized (this) {
                if (state != State.CLOSED && !inFlight && !queue.isEmpty()) {
                    batch = new ArrayList<>(Math.min(queue.size(), MAX_BATCH));
                    while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
                        StreamItem next = queue.poll();
                        if (!next.isComment()) {
                            queuedEvents--;
                        }
                        batch.add(next);
                    }
                    inFlight = true;
                }
            }
            if (claimRead()) {
                refill.run();
            }
            if (batch != null) {
                send(batch);
            }
        } while (pumping.decrementAndGet() != 0);
    }

    private void send(List<StreamItem> batch) {
        try {
            sink.send(batch).whenComplete((ignored, failure) -> {
                synchronized (this) {
                    inFlight = false;
                }
                if (failure != null) {
                    close("client gone");
                } else {
                    pump();
                }
            });
        } catch (RuntimeException failure) {
            synchronized (this) {
                inFlight = false;
            }
            close("client gone");
        }
    }
}
