package dev.stigmergy.event;

import dev.stigmergy.support.Await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A minimal Server-Sent Events client for tests: records every event and comment it reads. */
public final class SseClient implements AutoCloseable {

    /** One SSE message: an event ({@code id}, {@code event}, {@code data}) or a comment. */
    public record Message(String id, String event, String data, String comment) {
        public long idAsLong() {
            return Long.parseLong(id);
        }

        public boolean isEvent() {
            return comment == null;
        }
    }

    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final HttpResponse<InputStream> response;
    private final Thread reader;
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Opens {@code baseUrl + pathAndQuery} with the bearer token and extra headers; returns once the
     * response headers arrived (the service registers the subscription before it sends them).
     */
    public static SseClient open(String baseUrl, String token, String pathAndQuery, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + token);
        headers.forEach(request::header);
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient()
                    .sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
                    .get(30, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("stream answered " + response.statusCode() + ": " + body);
            }
            return new SseClient(response);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open " + pathAndQuery, e);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = null;
            String event = null;
            StringBuilder data = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data != null) {
                        messages.add(new Message(id, event, data.toString(), null));
                    }
                    id = null;
                    event = null;
                    data = null;
                } else if (line.startsWith(":")) {
                    messages.add(new Message(null, null, null, line.substring(1).trim()));
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> event = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException closed) {
            // closed by the test or the service
        } finally {
            ended = true;
        }
    }

    /** Every event read so far, in order. */
    public List<Message> events() {
        List<Message> events = new ArrayList<>();
        for (Message m : messages) {
            if (m.isEvent()) {
                events.add(m);
            }
        }
        return events;
    }

    /** Every comment read so far, in order. */
    public List<String> comments() {
        return messages.stream().filter(m -> !m.isEvent()).map(Message::comment).toList();
    }

    /** Waits (bounded poll) until {@code condition} holds on this client; fails after {@code timeout}. */
    public void await(Predicate<SseClient> condition, Duration timeout, String what) {
        Await.until(() -> condition.test(this), timeout, Duration.ofMillis(20), () -> what + "; read so far: " + messages);
    }

    /** Waits until at least {@code count} events arrived and answers all events read. */
    public List<Message> awaitEvents(int count, Duration timeout) {
        await(c -> c.events().size() >= count, timeout, count + " events");
        return events();
    }

    /** Whether the service ended the stream. */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
