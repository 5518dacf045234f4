package dev.stigmergy.client;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar quarkus-run.jar}, system property {@code stigmergy.service.jar})
 * run as a process for the tests of the clients built on this one (this SDK's, stig's), on the machine's PostgreSQL: database {@code STIGMERGY_TEST_DB}
 * (default {@code stigmergy_test}, created when missing) on server {@code STIGMERGY_TEST_PG} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/}), a free HTTP port and an admin token of its own.
 */
public final class LiveService implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);

    /** Where the service answers, e.g. {@code http://127.0.0.1:41234}. */
    public final URI url;
    /** The bearer token of its {@code admin} agent. */
    public final String adminToken;
    private final Process process;
    private final Path log;

    private LiveService(URI url, String adminToken, Process process, Path log) {
        this.url = url;
        this.adminToken = adminToken;
        this.process = process;
        this.log = log;
    }

    private static LiveService shared;

    /**
     * One service for every test class of a test run that can share it (each class isolates by fresh names), stopped
     * when the JVM exits.
     */
    public static synchronized LiveService shared() throws IOException {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    /** Starts the service and returns once {@code /q/health/ready} answers 200. */
    public static LiveService start() throws IOException {
        Path jar = Path.of(System.getProperty("stigmergy.service.jar", "../../target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build the service first (./mvnw package)");
        }
        Path workDir = Path.of(System.getProperty("stigmergy.service.work-dir", "target/live-service"));
        Files.createDirectories(workDir);
        Path log = workDir.resolve("service.log");
        int port = freePort();
        String adminToken = "test-admin-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", ensureDatabase());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        builder.environment().put("STIGMERGY_ADMIN_TOKEN", adminToken);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("STIGMERGY_DATA_DIR", workDir.toAbsolutePath().toString());
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        LiveService service = new LiveService(URI.create("http://127.0.0.1:" + port), adminToken, builder.start(), log);
        try {
            service.awaitReady();
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return service;
    }

    /** A client acting as the admin agent. */
    public StigmergyClient admin() {
        return client(adminToken);
    }

    /** A client acting as the agent of {@code token}. */
    public StigmergyClient client(String token) {
        return StigmergyClient.builder().baseUrl(url).token(token).build();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        RetryPolicy<Integer> untilUp = RetryPolicy.<Integer>builder()
                .handle(IOException.class)
                .handleResultIf(status -> status != 200)
                .abortIf((status, failure) -> !process.isAlive())
                .withDelay(Duration.ofMillis(250))
                .withMaxRetries(-1)
                .withMaxDuration(STARTUP)
                .build();
        Integer status;
        try {
            status = Failsafe.with(untilUp).get(() -> http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (FailsafeException unreachable) {
            status = null;
        }
        if (status == null || status != 200) {
            throw new IllegalStateException("service not ready within " + STARTUP + " (alive: " + process.isAlive()
                    + "); log: " + log.toAbsolutePath() + "\n" + tail());
        }
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 4000));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Stops the service with SIGTERM and waits for it to exit. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String ensureDatabase() {
        String server = System.getenv().getOrDefault("STIGMERGY_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/");
        server = server.endsWith("/") ? server : server + "/";
        String name = System.getenv().getOrDefault("STIGMERGY_TEST_DB", "stigmergy_test");
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet r = exists.executeQuery()) {
                if (!r.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("create database \"" + name + "\"");
                    }
                }
            }
        } catch (SQLException e) {
            // a concurrent run may have created it between the check and the create
            if (!"42P04".equals(e.getSQLState())) {
                throw new IllegalStateException("cannot create test database " + name + " on " + server, e);
            }
        }
        return server + name;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
