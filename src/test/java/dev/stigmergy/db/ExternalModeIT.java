package dev.stigmergy.db;

import dev.stigmergy.support.TestDatabase;
import dev.stigmergy.testing.ServiceProcess;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With QUARKUS_DATASOURCE_JDBC_URL set, the packaged service uses that server and Flyway migrates it. */
class ExternalModeIT {

    @Test
    void configuredJdbcUrlIsUsedAndMigrated() throws Exception {
        // an empty database of this run's own (named after the test database), so Flyway migrates it from nothing
        String url = TestDatabase.recreateDatabase(
                System.getenv().getOrDefault("STIGMERGY_TEST_DB", "stigmergy_test") + "_external");
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-external-");
        Path log = dataDir.resolve("service.log");
        Map<String, String> env = Map.of("QUARKUS_DATASOURCE_JDBC_URL", url,
                "STIGMERGY_DATA_DIR", dataDir.toAbsolutePath().toString(),
                "STIGMERGY_ADMIN_TOKEN", "it-admin-token");
        try (ServiceProcess service = ServiceProcess.start(env, log)) {
            String output = Files.readString(log);
            assertTrue(output.contains("database: external PostgreSQL at " + url), output);
            RestAssured.given().baseUri(service.url()).auth().oauth2("it-admin-token").get("/agents/me")
                    .then().statusCode(200).body("agent.id", equalTo("admin"));
            service.stop();
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "");
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select count(*) from flyway_schema_history where success")) {
            r.next();
            long migrations;
            try (var files = Files.list(Path.of("src/main/resources/db/migration"))) {
                migrations = files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
            }
            assertEquals(migrations, r.getInt(1), "Flyway applied every migration to the empty database");
        }
    }
}
