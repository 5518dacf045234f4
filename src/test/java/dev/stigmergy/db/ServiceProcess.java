package dev.stigmergy.db;

import io.restassured.RestAssured;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged service run as a real process ({@code java -jar quarkus-run.jar}), for tests of startup modes. */
public final class ServiceProcess implements AutoCloseable {

    public final int port;
    public final Path log;
    private final Process process;

    private ServiceProcess(int port, Path log, Process process) {
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the jar with the given environment (on top of this one, minus any datasource URL) and waits
     * until {@code /q/health/ready} answers UP.
     */
    public static ServiceProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
        String jar = System.getProperty("stigmergy.runner.jar", "target/quarkus-app/quarkus-run.jar");
        int port = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar);
        builder.environment().remove("QUARKUS_DATASOURCE_JDBC_URL");
        builder.environment().remove("STIGMERGY_ADMIN_TOKEN");
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        ServiceProcess service = new ServiceProcess(port, log, builder.start());
        service.awaitReady(Duration.ofSeconds(180));
        return service;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, IOException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (RestAssured.given().baseUri(url()).get("/q/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // connection refused until the HTTP server is up
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("service not ready within " + timeout + ":\n" + Files.readString(log));
    }

    /** Stops the service with SIGTERM, as an operator would, and answers its exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("service did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
