package dev.stigmergy.event;

import dev.stigmergy.support.Await;

import dev.stigmergy.support.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hub and its subscriptions, driven directly with sinks the test controls. */
@QuarkusTest
class EventHubTest {

    // beyond the test profile's gap timeout (15 s): an id hole left by an earlier test's rolled-back write may
    // hold the reader that long before its events, and so a replay's upper mark, move on
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EventHub hub;

    @Inject
    EventLog log;

    /** A client that never reads: no send ever completes. */
    static final class StuckSink implements EventSink {
        final List<StreamItem> sent = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        @Override
        public CompletionStage<?> send(List<StreamItem> items) {
            sent.addAll(items);
            return new CompletableFuture<>();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A client that reads at once. */
    static final class ReadingSink implements EventSink {
        final List<StreamItem> sent = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> send(List<StreamItem> items) {
            sent.addAll(items);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close() {
        }

        List<Long> eventIds() {
            return sent.stream().filter(i -> !i.isComment()).map(StreamItem::id).toList();
        }
    }

    private void append(String env, int count) {
        for (int i = 0; i < count; i++) {
            int n = i;
            QuarkusTransaction.requiringNew().run(() ->
                    log.append(Instant.now(), "test.appended", env, null, null, Map.of("n", n)));
        }
    }

    private static EventFilter onlyIn(String env) {
        return new EventFilter(List.of(), env, null, null, e -> true);
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(condition, WAIT, Duration.ofMillis(20), what);
    }

    @Test
    void aSubscriberThatNeverReadsIsDroppedAndItsBufferStaysBounded() {
        String env = Api.fresh("env");
        StuckSink sink = new StuckSink();
        int before = hub.subscriptionCount();
        EventSubscription subscription = hub.subscribe(onlyIn(env), null, sink, 10);
        assertEquals(before + 1, hub.subscriptionCount());

        int maxQueued = 0;
        for (int i = 0; i < 40 && subscription.state() != EventSubscription.State.CLOSED; i++) {
            append(env, 1);
            maxQueued = Math.max(maxQueued, subscription.queuedEvents());
        }
        append(env, 5);
        await(() -> subscription.state() == EventSubscription.State.CLOSED, "the stuck stream is closed");

        assertTrue(maxQueued <= 10, "at most the buffer limit waited: " + maxQueued);
        assertTrue(subscription.closeReason().startsWith("slow consumer"), subscription.closeReason());
        assertEquals(0, subscription.queuedEvents(), "a closed stream holds no events");
        assertTrue(sink.closed);
        // the "subscribed" comment (never completed) and the final comment: nothing else reached the connection
        assertEquals(2, sink.sent.size(), sink.sent.toString());
        assertTrue(sink.sent.get(1).comment().startsWith("closed: slow consumer"));
        await(() -> hub.subscriptionCount() == before, "the hub forgot the stream");
    }

    @Test
    void aReplayToAStuckSubscriberReadsNoMoreThanItsBuffer() {
        String env = Api.fresh("env");
        append(env, 30);
        StuckSink sink = new StuckSink();
        EventSubscription subscription = hub.subscribe(onlyIn(env), 0L, sink, 10);
        await(() -> subscription.queuedEvents() > 0, "the replay queued events");
        append(env, 10);
        for (int i = 0; i < 20; i++) {
            assertTrue(subscription.queuedEvents() <= 10, "buffer bounded: " + subscription.queuedEvents());
            Thread.onSpinWait();
        }
        assertEquals(EventSubscription.State.REPLAYING, subscription.state(), "a replay waits for its reader, it does not overflow");
        hub.unsubscribe(subscription, "test over");
        assertEquals(EventSubscription.State.CLOSED, subscription.state());
    }

    @Test
    void aLongReplayHandsOverToLiveWithoutGapOrDuplicate() {
        String env = Api.fresh("env");
        append(env, 25);
        ReadingSink sink = new ReadingSink();
        EventSubscription subscription = hub.subscribe(onlyIn(env), 0L, sink, 4);
        append(env, 5);
        await(() -> sink.eventIds().size() >= 30, "30 events");
        List<Long> expected = log.readRange(0, Long.MAX_VALUE, 1000, env, null, null).stream().map(EventView::id).toList();
        assertEquals(expected, sink.eventIds());
        assertEquals(EventSubscription.State.LIVE, subscription.state());
        hub.unsubscribe(subscription, "test over");
    }

    @Test
    void withNoStreamOpenTheMarkFollowsTheLogAndLaterStreamsStartRight() {
        await(() -> hub.subscriptionCount() == 0, "no stream open (the reader then reads ids only)");
        String env = Api.fresh("env");
        append(env, 5);
        List<Long> first = log.readRange(0, Long.MAX_VALUE, 1000, env, null, null).stream().map(EventView::id).toList();
        await(() -> hub.highWater() >= first.get(4), "the mark passes the events written while no stream was open");

        ReadingSink live = new ReadingSink();
        ReadingSink resumed = new ReadingSink();
        EventSubscription fromNow = hub.subscribe(onlyIn(env), null, live, 100);
        EventSubscription fromFirst = hub.subscribe(onlyIn(env), first.get(0), resumed, 100);
        append(env, 2);
        List<Long> all = log.readRange(0, Long.MAX_VALUE, 1000, env, null, null).stream().map(EventView::id).toList();
        await(() -> live.eventIds().size() >= 2 && resumed.eventIds().size() >= 6, "both streams caught up");
        assertEquals(all.subList(5, 7), live.eventIds(), "a new stream gets only what follows");
        assertEquals(all.subList(1, 7), resumed.eventIds(), "a resumed stream gets everything after its id once");
        hub.unsubscribe(fromNow, "test over");
        hub.unsubscribe(fromFirst, "test over");
    }

    @Test
    void theVisibilitySliceHidesEvents() {
        String env = Api.fresh("env");
        ReadingSink sink = new ReadingSink();
        EventFilter evenOnly = new EventFilter(List.of(), env, null, null, e -> e.data().get("n").asInt() % 2 == 0);
        EventSubscription subscription = hub.subscribe(evenOnly, null, sink, 100);
        append(env, 6);
        await(() -> sink.eventIds().size() >= 3, "3 visible events");
        List<Long> all = log.readRange(0, Long.MAX_VALUE, 1000, env, null, null).stream().map(EventView::id).toList();
        assertEquals(List.of(all.get(0), all.get(2), all.get(4)), sink.eventIds());
        assertFalse(subscription.state() == EventSubscription.State.CLOSED);
        hub.unsubscribe(subscription, "test over");
    }
}
