package dev.stigmergy.event;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Announces committed events to every replica's {@link EventNotificationListener}: after a transaction that
 * appended events commits ({@link EventLog#append}), this replica's {@link EventHub} is woken at once and one
 * {@code pg_notify} on {@value EventNotificationListener#CHANNEL} with the highest committed id follows, from a
 * thread of its own on a pooled connection in autocommit. Commits that arrive while a notification is on its way
 * are covered by the next one (coalesced), so writers never wait for it.
 *
 * <p>Notifying outside the writing transaction keeps PostgreSQL's commit-time lock of notifying transactions off
 * every writer's commit. The cost: should this process die between a commit and its notification, other replicas
 * see that event at their next poll ({@code stigmergy.events.poll-interval-millis}) instead of at once. Nothing is
 * lost either way: streams read the log, notifications only wake them.
 */
@ApplicationScoped
public class EventNotifier {

    private static final Logger LOG = Logger.getLogger(EventNotifier.class);

    private final AgroalDataSource dataSource;
    private final EventHub hub;
    private final EventStreamConfig config;
    /** The highest committed event id not yet announced, 0 for none. */
    private final AtomicLong pending = new AtomicLong();
    private final Object signal = new Object();

    private final BackgroundLoop loop = new BackgroundLoop("event-notify", this::run, this::wakeLoop);

    public EventNotifier(AgroalDataSource dataSource, EventHub hub, EventStreamConfig config) {
        this.dataSource = dataSource;
        this.hub = hub;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        loop.start();
    }

    void stop(@Observes ShutdownEvent stopping) {
        loop.stop();
    }

    /** A transaction whose events reach up to {@code lastId} committed; called on the committing thread. */
    void committed(long lastId) {
        hub.wake();
        pending.accumulateAndGet(lastId, Math::max);
        wakeLoop();
    }

    private void wakeLoop() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void run() {
        boolean failedBefore = false;
        while (loop.running()) {
            long id = pending.getAndSet(0);
            if (id == 0) {
                synchronized (signal) {
                    if (pending.get() == 0 && loop.running()) {
                        try {
                            signal.wait(); // committed() and stop() wake it under this lock: no wake-up is missed
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                continue;
            }
            try (Connection c = dataSource.getConnection();
                 PreparedStatement notify = c.prepareStatement("select pg_notify(?, ?)")) {
                notify.setString(1, EventNotificationListener.CHANNEL);
                notify.setString(2, Long.toString(id));
                notify.execute();
                failedBefore = false;
            } catch (SQLException | RuntimeException e) {
                // the database may be restarting: try again (the other replicas poll meanwhile)
                pending.accumulateAndGet(id, Math::max);
                if (!failedBefore) {
                    LOG.warnf("cannot announce committed events (%s); retrying", e.getMessage());
                }
                failedBefore = true;
                loop.pause(config.listenReconnectMillis());
            }
        }
    }
}
