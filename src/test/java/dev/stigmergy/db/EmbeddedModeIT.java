package dev.stigmergy.db;

import dev.stigmergy.testing.ServiceProcess;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With no JDBC URL configured, the packaged service starts its embedded PostgreSQL, durably (fsync and
 * synchronous_commit on), stops it with the service, and finds its data again after a restart.
 */
class EmbeddedModeIT {

    @Test
    void embeddedDatabaseKeepsDataAcrossRestarts() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target"), "it-embedded-");
        Path log = dataDir.resolve("service.log");
        Map<String, String> env = Map.of("STIGMERGY_DATA_DIR", dataDir.toAbsolutePath().toString());

        String agentToken;
        try (ServiceProcess service = ServiceProcess.start(env, log)) {
            String output = Files.readString(log);
            assertTrue(output.contains("database: embedded"), output);

            Path tokenFile = dataDir.resolve("admin-token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String adminToken = Files.readString(tokenFile).trim();
            assertTrue(output.contains(tokenFile.toAbsolutePath().toString()), "the token file's path is logged");
            assertFalse(output.contains(adminToken), "the token itself is never logged");

            agentToken = RestAssured.given().baseUri(service.url()).auth().oauth2(adminToken).contentType(ContentType.JSON)
                    .body(Map.of("id", "survivor", "displayName", "Survivor", "roles", java.util.List.of("maintainer")))
                    .post("/agents")
                    .then().statusCode(201).extract().path("token");
            RestAssured.given().baseUri(service.url()).auth().oauth2(agentToken).contentType(ContentType.JSON)
                    .body(Map.of("name", "kept")).post("/environments").then().statusCode(201);

            try (Connection c = DriverManager.getConnection(embeddedUrl(output));
                 Statement s = c.createStatement()) {
                assertEquals("on", show(s, "fsync"));
                assertEquals("on", show(s, "synchronous_commit"));
            }
            assertStoppedCleanly(service.stop());
        }
        assertFalse(Files.exists(dataDir.resolve("pgdata/postmaster.pid")), "embedded PostgreSQL stopped with the service");

        try (ServiceProcess service = ServiceProcess.start(env, log)) {
            RestAssured.given().baseUri(service.url()).auth().oauth2(agentToken).get("/agents/me")
                    .then().statusCode(200).body("agent.id", equalTo("survivor"));
            RestAssured.given().baseUri(service.url()).auth().oauth2(agentToken).get("/environments/kept")
                    .then().statusCode(200).body("createdBy", equalTo("survivor"));
            assertStoppedCleanly(service.stop());
        }
    }

    // 143 = 128 + SIGTERM: how a JVM reports a shutdown by signal that ran its hooks to the end
    private static void assertStoppedCleanly(int exitCode) {
        assertTrue(exitCode == 0 || exitCode == 143, "exit code " + exitCode);
    }

    private static String embeddedUrl(String log) {
        Matcher m = Pattern.compile("PostgreSQL at (jdbc:postgresql://\\S+)").matcher(log);
        assertTrue(m.find(), "the JDBC URL is logged");
        return m.group(1);
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet r = s.executeQuery("show " + setting)) {
            r.next();
            return r.getString(1);
        }
    }
}
