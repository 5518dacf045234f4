package dev.stigmergy.mergerequest;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Polls the refs of every environment that has open merge requests, every
 * {@code stigmergy.merge-requests.poll-interval} (default 30 s; {@code off} disables it): one read of all refs per
 * environment, not one per merge request. A failing environment is logged and tried again at the next tick.
 */
@ApplicationScoped
public class RefPoller {

    private static final Logger LOG = Logger.getLogger(RefPoller.class);

    private final ConflictRadar radar;

    public RefPoller(ConflictRadar radar) {
        this.radar = radar;
    }

    @Scheduled(every = "${stigmergy.merge-requests.poll-interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        poll();
    }

    /** One round: each environment with open merge requests is read once. @return environments read */
    public int poll() {
        int read = 0;
        for (String environment : radar.environmentsToPoll()) {
            try {
                radar.refresh(environment);
                read++;
            } catch (RuntimeException e) {
                LOG.warnf("reading the refs of environment %s failed: %s", environment, e.getMessage());
            }
        }
        return read;
    }
}
