package dev.stigmergy.db;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Refuses to start on a database migrated by the pre-1.0 chain of migrations (V1 "create event" to V63), which
 * {@code V1__baseline.sql} replaced. Flyway alone would report checksum mismatches, or, worse, apply later
 * migrations to a schema it misreads; this check fails first, with what to do. The baseline yields the schema of
 * V63 exactly (MigrationBaselineTest), so a database at V63 adopts it by dropping Flyway's history and starting once
 * with {@code QUARKUS_FLYWAY_BASELINE_ON_MIGRATE=true}: Flyway then records version 1 as its baseline and applies
 * only what follows it.
 */
@Singleton
public class PreBaselineSchemaCheck implements FlywayConfigurationCustomizer, Callback {

    /** The last version of the pre-baseline chain. */
    static final int LAST_PRE_BASELINE_VERSION = 63;

    private static final String PRE_BASELINE_ROWS = """
            select coalesce(max(version::int) filter (where success), 0) as reached, count(*) as rows
              from flyway_schema_history
             where type = 'SQL'
               and (version = '1' and description <> 'baseline' or version ~ '^[0-9]+$' and version::int between 2 and 63)
            """;

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.callbacks(this);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            check(context.getConnection());
        } catch (SQLException e) {
            throw new FlywayException("cannot read Flyway's schema history: " + e.getMessage(), e);
        }
    }

    /** Throws when the database behind {@code connection} carries rows of the pre-baseline chain. */
    static void check(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            try (ResultSet exists = s.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
                exists.next();
                if (!exists.getBoolean(1)) {
                    return;
                }
            }
            try (ResultSet old = s.executeQuery(PRE_BASELINE_ROWS)) {
                old.next();
                if (old.getLong("rows") == 0) {
                    return;
                }
                int reached = old.getInt("reached");
                String adopt = "drop Flyway's history (drop table flyway_schema_history;) and start the service once with "
                        + "QUARKUS_FLYWAY_BASELINE_ON_MIGRATE=true: the baseline has the same schema as version "
                        + LAST_PRE_BASELINE_VERSION + ", so Flyway records it as applied and migrates on from there";
                String first = reached < LAST_PRE_BASELINE_VERSION
                        ? "It stopped at version " + reached + ": first let the previous release (0.1.0, before the baseline) "
                                + "migrate it to version " + LAST_PRE_BASELINE_VERSION + ", then "
                        : "It is at version " + LAST_PRE_BASELINE_VERSION + ": ";
                throw new FlywayException("This database was migrated by Stigmergy's pre-1.0 migration chain (V1 to V"
                        + LAST_PRE_BASELINE_VERSION + "), which the single migration V1__baseline.sql replaced. Nothing was "
                        + "changed. " + first + adopt + ". A database that holds nothing worth keeping can simply be "
                        + "recreated empty.");
            }
        }
    }

    @Override
    public String getCallbackName() {
        return "pre-baseline schema check";
    }
}
