package dev.stigmergy.testing;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code java -jar quarkus-run.jar}) run as a real process on a free port of 127.0.0.1, for
 * every test that needs the service as a user runs it: the service's own startup tests, the Java client's, stig's
 * and the colony's, and (through {@link #main}) the TypeScript client's.
 *
 * <p>The jar is system property {@code stigmergy.service.jar} (each module's failsafe configuration sets it), else
 * {@code target/quarkus-app/quarkus-run.jar} in the nearest directory at or above the working directory that has
 * one. On the test database ({@link #onTestDatabase}), the service uses database {@code STIGMERGY_TEST_DB} (default
 * {@code stigmergy_test}, created when missing) on server {@code STIGMERGY_TEST_PG} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/}) as user {@code postgres} without a password.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(180);
    private static final Duration SHUTDOWN = Duration.ofSeconds(60);

    /** Its HTTP port on 127.0.0.1. */
    public final int port;
    /** Its stdout and stderr. */
    public final Path log;
    /** The bearer token of its {@code admin} agent, when the caller set one ({@code STIGMERGY_ADMIN_TOKEN}). */
    public final String adminToken;
    private final Process process;

    private ServiceProcess(int port, Path log, String adminToken, Process process) {
        this.port = port;
        this.log = log;
        this.adminToken = adminToken;
        this.process = process;
    }

    private static ServiceProcess shared;

    /**
     * One service on the test database for every test class of a JVM that can share it (each class isolates by
     * fresh names), in {@code stigmergy.service.work-dir} (default {@code target/live-service}); stopped when the
     * JVM exits.
     */
    public static synchronized ServiceProcess shared() throws IOException, InterruptedException {
        if (shared == null) {
            shared = onTestDatabase(Path.of(System.getProperty("stigmergy.service.work-dir", "target/live-service")));
            ServiceProcess started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stopQuietly));
        }
        return shared;
    }

    /**
     * Starts the service on the test database with a fresh admin token, its data directory ({@code admin-token},
     * never an embedded database) and log ({@code service.log}) in {@code workDir}.
     */
    public static ServiceProcess onTestDatabase(Path workDir) throws IOException, InterruptedException {
        return onTestDatabase(workDir, "test-admin-" + UUID.randomUUID());
    }

    /** As {@link #onTestDatabase(Path)}, with the given admin token (replicas of one test share theirs). */
    public static ServiceProcess onTestDatabase(Path workDir, String adminToken) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", ensureTestDatabase());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("STIGMERGY_ADMIN_TOKEN", adminToken);
        env.put("STIGMERGY_DATA_DIR", workDir.toAbsolutePath().resolve("data").toString());
        return start(env, workDir.resolve("service.log"));
    }

    /**
     * Starts the jar with this process's environment, minus any datasource URL and admin token, plus {@code env}
     * and a free {@code QUARKUS_HTTP_PORT}; appends its output to {@code log}, and returns once
     * {@code /q/health/ready} answers 200.
     *
     * @throws IllegalStateException the jar is missing, or the service exits or is not ready within 180 s (the
     *                               message carries the log's tail)
     */
    public static ServiceProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
        Path jar = jar();
        Files.createDirectories(log.toAbsolutePath().getParent());
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString());
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().remove("STIGMERGY_ADMIN_TOKEN");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServiceProcess service = new ServiceProcess(port, log, env.get("STIGMERGY_ADMIN_TOKEN"), builder.start());
        try {
            service.awaitReady();
        } catch (RuntimeException | InterruptedException e) {
            service.stopQuietly();
            throw e;
        }
        return service;
    }

    /** The packaged service: {@code stigmergy.service.jar}, else the nearest {@code target/quarkus-app/quarkus-run.jar}. */
    public static Path jar() {
        String configured = System.getProperty("stigmergy.service.jar");
        Path relative = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured);
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar.toAbsolutePath() + " is missing: build the service first (./mvnw package)");
            }
            return jar;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException("no " + relative + " at or above " + Path.of("").toAbsolutePath()
                + ": build the service first (./mvnw package)");
    }

    /** Its base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** {@link #url()} as a URI. */
    public URI uri() {
        return URI.create(url());
    }

    /** Its process id. */
    public long pid() {
        return process.pid();
    }

    private void awaitReady() throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri().resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // refused until the HTTP server is up
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("service not ready within " + STARTUP + "; log " + log + ":\n" + tail());
    }

    private String tail() throws IOException {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /**
     * Stops the service with SIGTERM, as an operator would, and answers its exit code.
     *
     * @throws IllegalStateException it did not stop within 60 s (it is then killed)
     */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("service did not stop within " + SHUTDOWN + " of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private void stopQuietly() {
        try {
            close();
        } catch (InterruptedException | RuntimeException e) {
            process.destroyForcibly();
        }
    }

    /** Creates the test database when it is missing and answers its JDBC URL. */
    public static String ensureTestDatabase() {
        String server = System.getenv().getOrDefault("STIGMERGY_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/");
        server = server.endsWith("/") ? server : server + "/";
        String name = System.getenv().getOrDefault("STIGMERGY_TEST_DB", "stigmergy_test");
        try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "");
             PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, name);
            try (ResultSet r = exists.executeQuery()) {
                if (!r.next()) {
                    try (Statement s = c.createStatement()) {
                        s.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
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

    /**
     * For tests outside the JVM: {@code run [--replicas N] [--work-dir DIR] -- COMMAND...} starts N replicas (default
     * 1) on the test database with one admin token, runs COMMAND with {@code STIGMERGY_URL} (the first replica),
     * {@code STIGMERGY_REPLICA_URLS} (all, comma-separated) and {@code STIGMERGY_ADMIN_TOKEN} in its environment,
     * stops the replicas and exits with COMMAND's exit code.
     */
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(Arrays.asList(args));
        if (rest.isEmpty() || !rest.remove(0).equals("run") || !rest.contains("--")) {
            System.err.println("usage: ServiceProcess run [--replicas N] [--work-dir DIR] -- COMMAND...");
            System.exit(2);
        }
        int replicas = 1;
        Path workDir = Path.of(System.getProperty("stigmergy.service.work-dir", "target/live-service"));
        while (!rest.get(0).equals("--")) {
            String option = rest.remove(0);
            switch (option) {
                case "--replicas" -> replicas = Integer.parseInt(rest.remove(0));
                case "--work-dir" -> workDir = Path.of(rest.remove(0));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        List<String> command = rest.subList(1, rest.size());
        String adminToken = "test-admin-" + UUID.randomUUID();
        List<ServiceProcess> started = new ArrayList<>();
        int exit;
        try {
            for (int i = 0; i < replicas; i++) {
                started.add(onTestDatabase(workDir.resolve("replica-" + i), adminToken));
            }
            ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
            builder.environment().put("STIGMERGY_URL", started.get(0).url());
            builder.environment().put("STIGMERGY_REPLICA_URLS",
                    String.join(",", started.stream().map(ServiceProcess::url).toList()));
            builder.environment().put("STIGMERGY_ADMIN_TOKEN", adminToken);
            exit = builder.start().waitFor();
        } finally {
            for (ServiceProcess service : started) {
                service.stopQuietly();
            }
        }
        System.exit(exit);
    }
}
