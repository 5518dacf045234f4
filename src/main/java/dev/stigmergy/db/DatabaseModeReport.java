package dev.stigmergy.db;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Logs at startup which database the service uses, so an operator never has to guess. */
@ApplicationScoped
public class DatabaseModeReport {

    private static final Logger LOG = Logger.getLogger(DatabaseModeReport.class);

    void onStart(@Observes StartupEvent start,
                 @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url) {
        String mode = System.getProperty(EmbeddedDatabase.MODE_PROPERTY, "external");
        LOG.infof("database: %s PostgreSQL at %s", mode, url);
    }
}
