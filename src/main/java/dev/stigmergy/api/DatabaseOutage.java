package dev.stigmergy.api;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.AgroalPoolInterceptor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.hibernate.exception.JDBCConnectionException;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tells a failure to reach PostgreSQL from a fault of the service, so that {@link ProblemMapper} answers it with
 * 503 and {@code Retry-After} instead of 500, and logs one WARN per outage instead of a stack trace per call.
 * <p>
 * An outage is what the JDBC driver, the Agroal pool or Hibernate report as a connection failure: SQLState class
 * {@code 08} (connection exception), {@code 57P01}–{@code 57P03} (the server shutting down or starting up),
 * {@code 53300} (too many connections), a transient or non-transient connection exception, or Hibernate's
 * {@link JDBCConnectionException}. The pool's acquisition timeout alone also answers 503, but starts no outage: it
 * may mean a saturated pool.
 * <p>
 * During an outage the pool would spend a second or more of each call trying to connect; instead, calls are
 * refused at once ({@link #available()}, a circuit breaker) while one background probe per
 * {@link #PROBE_INTERVAL} tries the database. The outage ends when the probe connects, or when the pool opens a
 * new connection for any other reason.
 */
@ApplicationScoped
public class DatabaseOutage implements AgroalPoolInterceptor {

    /** The {@code Retry-After} a 503 carries, in seconds: service resumes within about that once PostgreSQL is back. */
    public static final int RETRY_AFTER_SECONDS = 1;

    private static final Logger LOG = Logger.getLogger(DatabaseOutage.class);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);
    private static final long NONE = Long.MIN_VALUE;

    private final Instance<AgroalDataSource> dataSource;
    // System.nanoTime() of the outage's first failure; NONE while the database answers
    private final AtomicLong since = new AtomicLong(NONE);
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "database-probe");
        t.setDaemon(true);
        return t;
    });

    // resolved at probe time: the pool asks for its interceptors (this bean) while it is being built
    public DatabaseOutage(Instance<AgroalDataSource> dataSource) {
        this.dataSource = dataSource;
    }

    /** Whether {@code failure}, or anything in its cause chain, is a failure to reach the database. */
    public static boolean isOutage(Throwable failure) {
        return isConnectionFailure(failure) || isPoolTimeout(failure);
    }

    /** Whether calls may try the database: false during an outage, until the probe reaches it again. */
    public boolean available() {
        return since.get() == NONE;
    }

    /** Records a failure to reach the database; the first of an outage is logged as a WARN, the rest at DEBUG. */
    public void failed(Throwable failure) {
        if (!isConnectionFailure(failure)) {
            LOG.debugf("no database connection in time: %s", summary(failure));
            return;
        }
        if (since.compareAndSet(NONE, System.nanoTime())) {
            LOG.warnf("database unreachable (%s); calls answer 503 with Retry-After: %d until it is back",
                    summary(failure), RETRY_AFTER_SECONDS);
            prober.schedule(this::probe, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            LOG.debugf(failure, "database still unreachable");
        }
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        end();
    }

    private void probe() {
        if (since.get() == NONE) {
            return;
        }
        try {
            AgroalDataSource pool = dataSource.get();
            // idle connections died with the outage: without them, the next one is a new connection
            pool.flush(AgroalDataSource.FlushMode.IDLE);
            try (Connection c = pool.getConnection()) {
                if (c.isValid(1)) {
                    end();
                    return;
                }
            }
        } catch (SQLException | RuntimeException e) {
            LOG.debugf("database probe failed: %s", summary(e));
        }
        prober.schedule(this::probe, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void end() {
        long start = since.getAndSet(NONE);
        if (start != NONE) {
            LOG.infof("database reachable again after %d ms", Duration.ofNanos(System.nanoTime() - start).toMillis());
        }
    }

    @PreDestroy
    void stop() {
        prober.shutdownNow();
    }

    private static boolean isPoolTimeout(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            // Agroal's message when no connection could be had in time
            if (t instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                    && sql.getMessage().startsWith("Sorry, acquisition timeout")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && isOutageState(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOutageState(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("53300"));
    }

    /** The innermost message, without a stack trace: what the operator needs to see once. */
    private static String summary(Throwable failure) {
        Throwable root = failure;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < 20) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
