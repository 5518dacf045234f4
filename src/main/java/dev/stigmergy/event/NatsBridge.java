package dev.stigmergy.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.NatsMessage;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * Publishes every event of the log to a NATS JetStream stream (DESIGN.md §5), subject per {@link NatsSubject},
 * data the {@link EventView} JSON, {@code Nats-Msg-Id} the event id (JetStream drops a re-publish within its
 * duplicate window). On only when {@code stigmergy.nats.url} ({@code STIGMERGY_NATS_URL}) is set.
 *
 * <p>At least once and in log order: a round locks this stream's row in {@code event_nats_position}
 * (one replica publishes at a time; the others skip the round), reads the events after the stored position up
 * to the {@link EventHub}'s high-water mark (contiguous ids only, as streams see them), publishes them one by
 * one waiting for each acknowledgement, and stores the last acknowledged id before commit. After a restart or
 * failure it resumes from the stored position; a crash between acknowledgement and commit re-publishes, never
 * skips. With no stored position it starts from the beginning of the log.
 */
@ApplicationScoped
public class NatsBridge {

    private static final Logger LOG = Logger.getLogger(NatsBridge.class);

    private final EventLog log;
    private final EventHub hub;
    private final NatsBridgeConfig config;
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    private final Object signal = new Object();
    private volatile boolean running;
    private Thread thread;
    private Connection nats;

    public NatsBridge(EventLog log, EventHub hub, NatsBridgeConfig config, AgroalDataSource dataSource, ObjectMapper json) {
        this.log = log;
        this.hub = hub;
        this.config = config;
        this.dataSource = dataSource;
        this.json = json;
    }

    void onStart(@Observes StartupEvent started) {
        if (config.url().isPresent()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent stopping) {
        stop();
    }

    /** Whether the bridge is configured and running. */
    public boolean running() {
        return running;
    }

    /** Starts publishing in a background thread; idempotent. */
    synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::follow, "event-nats-bridge");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("publishing events to NATS JetStream stream %s at %s", config.stream(), config.url().orElse("?"));
    }

    /** Stops publishing and disconnects; the position stays stored; idempotent. */
    synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnect();
    }

    /** The last event id JetStream acknowledged, as stored; 0 when nothing was published yet. */
    public long publishedUpTo() {
        try (java.sql.Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("select last_event_id from event_nats_position where stream = ?")) {
            s.setString(1, config.stream());
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the NATS bridge position", e);
        }
    }

    private void follow() {
        while (running) {
            long pause;
            try {
                pause = publishRound() < config.batchEvents() ? config.pollIntervalMillis() : 0;
            } catch (Exception e) {
                LOG.warnf("NATS bridge round failed (%s); retrying in %d ms", e.getMessage(), config.retryMillis());
                disconnect();
                pause = config.retryMillis();
            }
            if (pause > 0) {
                synchronized (signal) {
                    if (running) {
                        try {
                            signal.wait(pause);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }
    }

    // one round: answers how many events were published
    private int publishRound() throws SQLException, IOException, JetStreamApiException, InterruptedException {
        JetStream jetStream = jetStream();
        try (java.sql.Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement s = c.prepareStatement(
                        "insert into event_nats_position (stream, last_event_id) values (?, 0) on conflict do nothing")) {
                    s.setString(1, config.stream());
                    s.executeUpdate();
                }
                c.commit();
                long position;
                try (PreparedStatement s = c.prepareStatement(
                        "select last_event_id from event_nats_position where stream = ? for update skip locked")) {
                    s.setString(1, config.stream());
                    try (ResultSet r = s.executeQuery()) {
                        if (!r.next()) {
                            c.rollback();
                            return 0; // another replica is publishing
                        }
                        position = r.getLong(1);
                    }
                }
                long upTo = hub.highWater();
                List<EventView> events = position >= upTo ? List.of()
                        : log.readRange(position, upTo, config.batchEvents(), null, null, null);
                long published = position;
                try {
                    for (EventView event : events) {
                        publish(jetStream, event);
                        published = event.id();
                    }
                } finally {
                    if (published > position) {
                        try (PreparedStatement s = c.prepareStatement(
                                "update event_nats_position set last_event_id = ? where stream = ?")) {
                            s.setLong(1, published);
                            s.setString(2, config.stream());
                            s.executeUpdate();
                        }
                    }
                    c.commit();
                }
                return events.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private void publish(JetStream jetStream, EventView event) throws IOException, JetStreamApiException {
        byte[] data;
        try {
            data = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id() + " cannot be written as JSON", e);
        }
        NatsMessage message = NatsMessage.builder().subject(NatsSubject.of(config.subjectPrefix(), event)).data(data).build();
        jetStream.publish(message, PublishOptions.builder().messageId(Long.toString(event.id()))
                .expectedStream(config.stream()).build());
    }

    private synchronized JetStream jetStream() throws IOException, InterruptedException, JetStreamApiException {
        if (nats == null) {
            Options options = Options.builder().server(config.url().orElseThrow())
                    .connectionName("stigmergy-event-bridge")
                    .connectionTimeout(Duration.ofSeconds(5))
                    .maxReconnects(-1)
                    .build();
            Connection connection = Nats.connect(options);
            try {
                ensureStream(connection.jetStreamManagement());
            } catch (IOException | JetStreamApiException | RuntimeException e) {
                connection.close();
                throw e;
            }
            nats = connection;
        }
        return nats.jetStream();
    }

    // events only: their subjects have at least five tokens, while requests to the service (dev.stigmergy.nats,
    // <prefix>.<environment>.deposit) have three and must not be captured (JetStream would answer them itself)
    private void ensureStream(JetStreamManagement management) throws IOException, JetStreamApiException {
        String subjects = config.subjectPrefix() + ".*.*.*.>";
        if (!management.getStreamNames().contains(config.stream())) {
            management.addStream(StreamConfiguration.builder()
                    .name(config.stream())
                    .subjects(subjects)
                    .storageType(StorageType.File)
                    .duplicateWindow(Duration.ofMinutes(2))
                    .maxAge(config.maxAge())
                    .build());
            return;
        }
        // a stream made before (or with another max age) follows the configuration: retention is decay
        StreamConfiguration current = management.getStreamInfo(config.stream()).getConfiguration();
        if (!current.getMaxAge().equals(config.maxAge()) || !current.getSubjects().equals(List.of(subjects))) {
            management.updateStream(StreamConfiguration.builder(current).subjects(subjects).maxAge(config.maxAge()).build());
        }
    }

    private synchronized void disconnect() {
        if (nats != null) {
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            nats = null;
        }
    }
}
