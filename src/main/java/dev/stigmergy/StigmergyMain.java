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

    public static void main(String... args) {
        EmbeddedDatabase.startUnlessConfigured();
        Quarkus.run(args);
    }
}
