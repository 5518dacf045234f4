package dev.stigmergy.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.stigmergy.client.model.EventView;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A live reader of {@code GET /events/stream} (Server-Sent Events), opened by {@link StigmergyClient#stream}.
 *
 * <p>A daemon thread reads the stream and queues each event, parsed into the generated {@link EventView};
 * {@link #poll(Duration)} takes them in log order, blocking up to the given time. The stream ends when
 * the caller {@linkplain #close closes} it, when the service ends it (a {@code : closed: <reason>}
 * comment: shutdown, or a reader too slow for the service's buffer) or when the connection drops; the
 * events read before that are still returned, then {@code poll} throws {@link StreamEndedException}. To
 * resume without a gap, open a new stream with {@link #lastEventId()}: the service replays what followed.
 *
 * <p>Why hand-written: the generated client reads a response whole, which a stream that never ends
 * does not allow; the spec marks the operation internal so no such method is generated.
 */
public final class EventStream implements AutoCloseable {

    /** Marks the end of the stream in the queue, after the last event. */
    private static final Object END = new Object();

    private final InputStream body;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final StigmergyClient client;
    private volatile Long lastEventId;
    private volatile String endReason;
    private volatile boolean closed;

    private EventStream(StigmergyClient client, InputStream body, Long lastEventId) {
        this.client = client;
        this.body = body;
        this.lastEventId = lastEventId;
    }

    static EventStream open(StigmergyClient client, List<String> selectors, String environment, Long lastEventId)
            throws ApiException {
        ApiClient api = client.apiClient();
        List<String> query = new ArrayList<>();
        if (selectors != null) {
            selectors.forEach(selector -> query.add("types=" + ApiClient.urlEncode(selector)));
        }
        if (environment != null) {
            query.add("environment=" + ApiClient.urlEncode(environment));
        }
        String uri = api.getBaseUri() + "/events/stream" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .header("Accept", "text/event-stream")
                .GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId.toString());
        }
        client.authentication().accept(request);
        HttpResponse<InputStream> response;
        try {
            response = api.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new ApiException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(e);
        }
        if (response.statusCode() != 200) {
            String problem;
            try (InputStream error = response.body()) {
                problem = new String(error.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                problem = "";
            }
            throw new ApiException(response.statusCode(), "event stream refused", response.headers(), problem);
        }
        EventStream stream = new EventStream(client, response.body(), lastEventId);
        Thread reader = new Thread(stream::read, "stigmergy-event-stream");
        reader.setDaemon(true);
        reader.start();
        return stream;
    }

    /**
     * The next event, waiting up to {@code timeout} for one.
     *
     * @return the event, or {@code null} when none arrived in time
     * @throws StreamEndedException when the stream has ended and every event read before was taken
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public EventView poll(Duration timeout) throws InterruptedException {
        Object next = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == END) {
            queue.add(END); // later polls see the end too
            throw new StreamEndedException(endReason);
        }
        return (EventView) next;
    }

    /** The id of the last event read from the stream (queued or taken), or the id it was opened after. */
    public Long lastEventId() {
        return lastEventId;
    }

    /** Ends the stream and its reader thread; events not yet taken are dropped. Idempotent. */
    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is what ends the reader; nothing else to release
        }
    }

    /** Reads SSE lines: {@code id:}, {@code event:}, {@code data:} fields; a blank line dispatches an event. */
    private void read() {
        String reason = "the service ended the stream";
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        dispatch(data.toString());
                    }
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    String comment = line.substring(1).strip();
                    if (comment.startsWith("closed")) {
                        reason = "the service ended the stream (" + comment + ")";
                    }
                } else if (field(line).equals("data")) {
                    if (data.length() > 0) {
                        data.append('\n');
                    }
                    data.append(value(line));
                }
                // id and event repeat what the JSON data carries (id, type); the data is the source
            }
        } catch (IOException | RuntimeException e) {
            reason = closed ? "closed by the client" : "the stream failed: " + e;
        }
        endReason = closed ? "closed by the client" : reason;
        queue.add(END);
    }

    private void dispatch(String json) throws JsonProcessingException {
        EventView event = client.apiClient().getObjectMapper().readValue(json, EventView.class);
        lastEventId = event.getId();
        queue.add(event);
    }

    private static String field(String line) {
        int colon = line.indexOf(':');
        return colon < 0 ? line : line.substring(0, colon);
    }

    private static String value(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return "";
        }
        String value = line.substring(colon + 1);
        // SSE strips exactly one space after the colon
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** Thrown by {@link #poll} once the stream has ended and its events were all taken. */
    public static final class StreamEndedException extends IllegalStateException {
        StreamEndedException(String reason) {
            super("event stream ended: " + reason);
        }
    }
}
