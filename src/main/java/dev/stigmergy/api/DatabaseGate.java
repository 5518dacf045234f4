package dev.stigmergy.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses API calls at once with 503 and {@code Retry-After} while the database is out
 * ({@link DatabaseOutage#available()}), instead of letting each wait on a pool that cannot connect.
 */
public class DatabaseGate {

    private final DatabaseOutage outage;

    public DatabaseGate(DatabaseOutage outage) {
        this.outage = outage;
    }

    @ServerRequestFilter(preMatching = true)
    public void admit(ContainerRequestContext request) {
        if (!outage.available()) {
            throw new DatabaseUnavailableException();
        }
    }
}
