package dev.stigmergy.event;

import java.util.concurrent.CompletionStage;

/** Where a subscription writes: an SSE connection in production, a recording fake in tests. */
interface EventSink {

    /**
     * Writes one item. The stage completes when the item has left the service's buffers; it fails when the
     * client has gone. A subscription has at most one send in flight.
     */
    CompletionStage<?> send(StreamItem item);

    /** Ends the stream; idempotent. */
    void close();
}
