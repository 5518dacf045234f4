package dev.stigmergy.db;

import dev.stigmergy.support.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code V1__baseline.sql} replaced the pre-1.0 chain of migrations (kept under {@code db/pre-baseline} in the test
 * resources): both must yield the same schema and seed rows, as {@code pg_dump} prints them, and a database the old
 * chain made must be refused with what to do, then adopt the baseline as that message says.
 */
class MigrationBaselineTest {

    private static final String PRE_BASELINE = "classpath:db/pre-baseline";
    private static final String MIGRATIONS = "classpath:db/migration";

    @Test
    void baselineYieldsTheSchemaAndSeedRowsOfThePreBaselineChain() throws Exception {
        String chain = TestDatabase.recreateDatabase(TestDatabase.NAME + "_chain");
        String baseline = TestDatabase.recreateDatabase(TestDatabase.NAME + "_baseline");
        flyway(chain, PRE_BASELINE).target("63").load().migrate();
        flyway(baseline, MIGRATIONS).target("1").load().migrate();

        assertEquals(dump(chain, "--schema-only"), dump(baseline, "--schema-only"));
        assertEquals(dump(chain, "--data-only"), dump(baseline, "--data-only"));
    }

    @Test
    void aDatabaseOfThePreBaselineChainIsRefusedUntouchedWithWhatToDo() throws Exception {
        String chain = TestDatabase.recreateDatabase(TestDatabase.NAME + "_chain_refused");
        flyway(chain, PRE_BASELINE).target("44").load().migrate();
        String before = dump(chain, "--schema-only");

        FlywayException refused = assertThrows(FlywayException.class, () -> service(chain).migrate());

        assertTrue(refused.getMessage().contains("pre-1.0 migration chain"), refused.getMessage());
        assertTrue(refused.getMessage().contains("stopped at version 44"), refused.getMessage());
        assertTrue(refused.getMessage().contains("QUARKUS_FLYWAY_BASELINE_ON_MIGRATE=true"), refused.getMessage());
        assertEquals(before, dump(chain, "--schema-only"));
    }

    @Test
    void aDatabaseAtTheChainsLastVersionAdoptsTheBaselineAsTheRefusalSays() throws Exception {
        String adopted = TestDatabase.recreateDatabase(TestDatabase.NAME + "_chain_adopted");
        String fresh = TestDatabase.recreateDatabase(TestDatabase.NAME + "_fresh");
        flyway(adopted, PRE_BASELINE).target("63").load().migrate();
        assertThrows(FlywayException.class, () -> service(adopted).migrate());

        execute(adopted, "drop table flyway_schema_history");
        Flyway.configure().configuration(service(adopted).getConfiguration()).baselineOnMigrate(true).load().migrate();
        service(fresh).migrate();

        assertEquals(dump(fresh, "--schema-only"), dump(adopted, "--schema-only"));
    }

    /** Flyway as the service runs it: its migrations and the pre-baseline check. */
    private static Flyway service(String url) {
        return flyway(url, MIGRATIONS).callbacks(new PreBaselineSchemaCheck()).load();
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(String url, String location) {
        return Flyway.configure().dataSource(url, "postgres", "").locations(location);
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * The database as pg_dump prints it, without Flyway's own table, the dump's random {@code \restrict} key and
     * the times at which seed rows were written.
     */
    private static String dump(String jdbcUrl, String what) throws IOException, InterruptedException {
        URI server = URI.create(jdbcUrl.substring("jdbc:".length()));
        List<String> command = List.of("pg_dump", "-h", server.getHost(), "-p", String.valueOf(server.getPort() < 0 ? 5432 : server.getPort()),
                "-U", "postgres", "--no-owner", "--inserts", "--exclude-table=flyway_schema_history", what,
                server.getPath().substring(1));
        Process pgDump = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(pgDump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(pgDump.waitFor(60, TimeUnit.SECONDS), "pg_dump did not finish");
        assertEquals(0, pgDump.exitValue(), out);
        return out.lines()
                .filter(line -> !line.startsWith("\\restrict") && !line.startsWith("\\unrestrict"))
                .map(line -> line.replaceAll("'\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:[0-9.]+\\+00'", "'<time>'"))
                .collect(Collectors.joining("\n"));
    }
}
