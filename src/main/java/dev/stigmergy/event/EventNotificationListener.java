package dev.stigmergy.event;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Listens on the PostgreSQL channel {@value #CHANNEL}, on which every replica's {@link EventNotifier} announces
 * the events it committed (payload: the highest id); each notification wakes the {@link EventHub}, which reads the
 * log itself. Also listens on {@link Invalidations#CHANNEL}
 * and fires each of its topics as an {@link Invalidation}, and an {@code Invalidation(null)} whenever it
 * (re)connects, since notifications sent while nobody listened are lost. Runs on a dedicated JDBC connection
 * (outside the pool) in a background thread from startup to shutdown. When the connection fails (database
 * restart, network) it reconnects every {@code listen-reconnect-millis}, listens again and wakes the hub, which
 * catches up from its high-water mark; meanwhile the hub still polls the log.
 */
@ApplicationScoped
public class EventNotificationListener {

    /** The notification channel; payload is the highest event id a replica committed. */
    public static final String CHANNEL = "stigmergy_event";

    private static final Logger LOG = Logger.getLogger(EventNotificationListener.class);
    // a connection may die silently (network); probe it when this long passed without a notification
    private static final long PROBE_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final EventHub hub;
    private final Event<Invalidation> invalidations;
    private final EventStreamConfig config;
    private final String url;
    private final String username;
    private final Optional<String> password;

    private final BackgroundLoop loop = new BackgroundLoop("event-listen", this::listen, () -> { });
    private volatile boolean listening;
    private volatile Connection connection;

    public EventNotificationListener(EventHub hub, Event<Invalidation> invalidations, EventStreamConfig config,
                                     @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                                     @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String username,
                                     @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.hub = hub;
        this.invalidations = invalidations;
        this.config = config;
        this.url = url;
        this.username = username;
        this.password = password;
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        loop.stop();
    }

    /** Whether the LISTEN connection is up. */
    public boolean listening() {
        return listening;
    }

    private void listen() {
        boolean failedBefore = false;
        while (loop.running()) {
            try (Connection c = connect()) {
                connection = c;
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                    s.execute("LISTEN " + Invalidations.CHANNEL);
                }
                invalidations.fire(new Invalidation(null));
                listening = true;
                if (failedBefore) {
                    LOG.infof("listening on %s again", CHANNEL);
                }
                failedBefore = false;
                // events may have committed while nobody listened
                hub.wake();
                receive(c);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (loop.running()) {
                    if (!failedBefore) {
                        LOG.warnf("LISTEN connection failed (%s); reconnecting every %d ms", e.getMessage(),
                                config.listenReconnectMillis());
                    }
                    failedBefore = true;
                    loop.pause(config.listenReconnectMillis());
                }
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private void receive(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (loop.running()) {
            PGNotification[] notifications = pg.getNotifications((int) Math.max(1, Math.min(config.pollIntervalMillis(), 1000)));
            if (notifications != null && notifications.length > 0) {
                boolean events = false;
                for (PGNotification n : notifications) {
                    if (Invalidations.CHANNEL.equals(n.getName())) {
                        invalidations.fire(new Invalidation(n.getParameter()));
                    } else if (!alreadyRead(n.getParameter())) {
                        events = true;
                    }
                }
                if (events) {
                    hub.wake();
                }
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > PROBE_AFTER_NANOS) {
                try (Statement s = c.createStatement()) {
                    s.execute("select 1");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    // a notification whose highest id the hub has passed already, as this replica's own commits mostly are (the hub
    // was woken at commit), would only cost a read of the log that finds nothing (benchmark P12)
    private boolean alreadyRead(String payload) {
        try {
            return Long.parseLong(payload) <= hub.highWater();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        password.ifPresent(p -> properties.setProperty("password", p));
        properties.setProperty("ApplicationName", "stigmergy-event-listen");
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("tcpKeepAlive", "true");
        Connection c = new org.postgresql.Driver().connect(url, properties);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL: " + url);
        }
        c.setAutoCommit(true);
        return c;
    }
}
