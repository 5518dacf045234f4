package dev.stigmergy.event;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An {@link EventSink} over an SSE connection. The first write goes through JAX-RS ({@link SseEventSink}), which
 * sends the response's status and headers. Later batches are framed here and go out as one write on the
 * connection's Vert.x response: JAX-RS sends one event per write and flush, and at 500 events/s to 20 streams those
 * writes were a third of the event loop's time (benchmark P7). The framing is the one JAX-RS writes
 * ({@code field:value} lines, a blank line after each event; the data is one line of JSON).
 */
final class SseSink implements EventSink {

    private final SseEventSink sink;
    private final Sse sse;
    private final HttpServerResponse response;
    // set by the first send; a subscription has one send in flight at a time
    private volatile boolean started;

    SseSink(SseEventSink sink, Sse sse, HttpServerResponse response) {
        this.sink = sink;
        this.sse = sse;
        this.response = response;
    }

    @Override
    public CompletionStage<?> send(List<StreamItem> items) {
        if (sink.isClosed() || response.closed()) {
            return CompletableFuture.failedFuture(new IOException("the client has gone"));
        }
        if (!started) {
            started = true;
            CompletionStage<?> first = sink.send(event(items.get(0)));
            List<StreamItem> rest = items.subList(1, items.size());
            return rest.isEmpty() ? first : first.thenCompose(sent -> send(rest));
        }
        StringBuilder text = new StringBuilder(items.size() * 256);
        for (StreamItem item : items) {
            frame(item, text);
        }
        return response.write(Buffer.buffer(text.toString())).toCompletionStage();
    }

    private OutboundSseEvent event(StreamItem item) {
        return item.isComment()
                ? sse.newEventBuilder().comment(item.comment()).build()
                : sse.newEventBuilder().id(Long.toString(item.id())).name(item.type()).data(item.data()).build();
    }

    private static void frame(StreamItem item, StringBuilder text) {
        if (item.isComment()) {
            text.append(':').append(item.comment()).append("\n\n");
        } else {
            text.append("id:").append(item.id()).append("\nevent:").append(item.type())
                    .append("\ndata:").append(item.data()).append("\n\n");
        }
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
