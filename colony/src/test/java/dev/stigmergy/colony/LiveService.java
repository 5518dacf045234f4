package dev.stigmergy.colony;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code ../target/quarkus-app/quarkus-run.jar}) run as a real process on a free port, in
 * external-database mode on the test database ({@code STIGMERGY_TEST_PG} + {@code STIGMERGY_TEST_DB}, created
 * when missing), with a fresh admin token.
 */
final class LiveService implements AutoCloseable {

    final URI url;
    final String adminToken;
    final Path log;
    private final Process process;

    private LiveService(URI url, String adminToken, Path log, Process process) {
        this.url = url;
        this.adminToken = adminToken;
        this.log = log;
        this.process = process;
    }

    static LiveService start(Path workDir) throws IOException, InterruptedException, SQLException {
        Path jar = Path.of(System.getProperty("stigmergy.runner.jar", "../target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no service jar at " + jar + "; build it first: ./mvnw -DskipTests package");
        }
        String server = env("STIGMERGY_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/");
        String database = env("STIGMERGY_TEST_DB", "stigmergy_test");
        createDatabaseIfMissing(server, database);
        Files.createDirectories(workDir);
        int port = freePort();
        String token = "colony-it-" + UUID.randomUUID();
        Path log = workDir.resolve("service.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", server + database);
        builder.environment().put("STIGMERGY_ADMIN_TOKEN", token);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("STIGMERGY_DATA_DIR", workDir.resolve("data").toString());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        LiveService service = new LiveService(URI.create("http://127.0.0.1:" + port), token, log, builder.start());
        service.awaitReady(Duration.ofMinutes(3));
        return service;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // refused until the HTTP server is up
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("service not ready within " + timeout + ":\n" + Files.readString(log));
    }

    private static void createDatabaseIfMissing(String server, String database) throws SQLException {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("STIGMERGY_TEST_DB must be a plain lower-case name: " + database);
        }
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", null);
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("create database " + database);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
