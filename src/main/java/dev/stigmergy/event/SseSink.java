package dev.stigmergy.event;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An {@link EventSink} over a JAX-RS SSE connection. */
final class SseSink implements EventSink {

    private final SseEventSink sink;
    private final Sse sse;

    SseSink(SseEventSink sink, Sse sse) {
        this.sink = sink;
        this.sse = sse;
    }

    @Override
    public CompletionStage<?> send(StreamItem item) {
        if (sink.isClosed()) {
            return CompletableFuture.failedFuture(new IOException("the client has gone"));
        }
        OutboundSseEvent event = item.isComment()
                ? sse.newEventBuilder().comment(item.comment()).build()
                : sse.newEventBuilder().id(Long.toString(item.id())).name(item.type()).data(item.data()).build();
        return sink.send(event);
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (RuntimeException alreadyGone) {
            // the connection may be closed already; closing is idempotent for us
        }
    }
}
