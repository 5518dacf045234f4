package dev.stigmergy.event;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** Where a subscription writes: an SSE connection in production, a recording fake in tests. */
interface EventSink {

    /**
     * Writes items, in order, in one write where the transport allows. The stage completes when they have left
     * the service's buffers; it fails when the client has gone. A subscription has at most one send in flight.
     */
    CompletionStage<?> send(List<StreamItem> items);

    /** Ends the stream; idempotent. */
    void close();
}
