package dev.stigmergy;

import dev.stigmergy.db.EmbeddedDatabase;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the service. When no JDBC URL is configured it first starts the embedded PostgreSQL
 * (see {@link EmbeddedDatabase}), so a fresh machine needs nothing but a JDK.
 */
@QuarkusMain
public class StigmergyMain {

    /** Vert.x/Quarkus system property that turns off the HTTP layer's own URI check (see {@code RawRequests}). */
    public static final String RAW_URI_CHECK_OFF = "vertx.disableURIValidation";

    public static void main(String... args) {
        // Quarkus' HTTP layer answers a URI that java.net.URI refuses with a bare 400 before any route runs; turned
        // off, the same check runs in RawRequests, which answers a problem document
        if (System.getProperty(RAW_URI_CHECK_OFF) == null) {
            System.setProperty(RAW_URI_CHECK_OFF, "true");
        }
        EmbeddedDatabase.startUnlessConfigured();
        Quarkus.run(args);
    }
}
