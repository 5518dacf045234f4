package dev.stigmergy.api;

import java.util.Map;

/**
 * The database cannot be reached: 503 with {@code Retry-After} ({@link DatabaseOutage#RETRY_AFTER_SECONDS}); the
 * call changed nothing and may be repeated.
 */
public class DatabaseUnavailableException extends StigmergyException {

    public DatabaseUnavailableException() {
        super(503, "/problems/database-unavailable", "Database unavailable",
                "the database cannot be reached; nothing was changed by this call; retry after "
                        + DatabaseOutage.RETRY_AFTER_SECONDS + " s", Map.of());
    }
}
