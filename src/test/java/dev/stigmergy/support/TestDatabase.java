package dev.stigmergy.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Points every {@code @QuarkusTest} at a database of the test run's own, {@code stigmergy_test} on the
 * machine's PostgreSQL (created when missing; never dropped or truncated: tests isolate by fresh keys).
 * {@code STIGMERGY_TEST_PG} overrides the server, e.g. {@code jdbc:postgresql://127.0.0.1:5432/}.
 */
@WithTestResource(value = TestDatabase.class, scope = TestResourceScope.GLOBAL)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    /** The test database; {@code STIGMERGY_TEST_DB} overrides it, e.g. for parallel runs in separate worktrees. */
    public static final String NAME = System.getenv().getOrDefault("STIGMERGY_TEST_DB", "stigmergy_test");

    /** System property prefix: {@code <prefix><profile class name>} routes the database of that test profile. */
    public static final String URL_FOR_PROFILE = "stigmergy.test.datasource-url.";

    private String profile;

    @Override
    public void setContext(Context context) {
        profile = context.testProfile();
    }

    /**
     * The test database's URL, unless the running test profile asked for another way to it (a proxy that stages
     * an outage): test resources override a profile's own config.
     */
    @Override
    public Map<String, String> start() {
        String url = ensureDatabase(NAME);
        String routed = profile == null ? null : System.getProperty(URL_FOR_PROFILE + profile);
        return Map.of("quarkus.datasource.jdbc.url", routed != null ? routed : url, "quarkus.datasource.username", "postgres");
    }

    @Override
    public void stop() {
    }

    /** The server's base URL, ending in '/'. */
    public static String server() {
        String server = System.getenv().getOrDefault("STIGMERGY_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/");
        return server.endsWith("/") ? server : server + "/";
    }

    /** Drops database {@code name} if it exists, creates it empty and answers its JDBC URL. */
    public static String recreateDatabase(String name) {
        try (Connection c = DriverManager.getConnection(server() + "postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + name + " with (force)");
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot recreate test database " + name + " on " + server(), e);
        }
        return server() + name;
    }

    private static boolean migratedByPreBaselineChain(String url) {
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
            r.next();
            if (!r.getBoolean(1)) {
                return false;
            }
            try (ResultSet old = s.executeQuery(
                    "select 1 from flyway_schema_history where version = '1' and description <> 'baseline'")) {
                return old.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the schema history of " + url, e);
        }
    }

    /**
     * Creates database {@code name} when missing, or recreates it when a run from before the migration baseline left
     * it (it holds nothing worth keeping, and the service refuses such a database), and answers its JDBC URL.
     */
    public static String ensureDatabase(String name) {
        try (Connection c = DriverManager.getConnection(server() + "postgres", "postgres", "");
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet r = exists.executeQuery()) {
                if (!r.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("create database " + name);
                    }
                }
            }
        } catch (SQLException e) {
            // a concurrent run may have created it between the check and the create
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create test database " + name + " on " + server(), e);
            }
        }
        return migratedByPreBaselineChain(server() + name) ? recreateDatabase(name) : server() + name;
    }
}
