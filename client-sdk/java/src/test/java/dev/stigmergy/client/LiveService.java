package dev.stigmergy.client;

import dev.stigmergy.testing.ServiceProcess;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * The packaged service as the tests of the clients built on this one (this SDK's, stig's) see it: its URL, its admin
 * token and clients of it. The process is the shared test harness's ({@link ServiceProcess}).
 */
public final class LiveService implements AutoCloseable {

    /** Where the service answers, e.g. {@code http://127.0.0.1:41234}. */
    public final URI url;
    /** The bearer token of its {@code admin} agent. */
    public final String adminToken;
    private final ServiceProcess process;
    private final boolean owned;

    private LiveService(ServiceProcess process, boolean owned) {
        this.url = process.uri();
        this.adminToken = process.adminToken;
        this.process = process;
        this.owned = owned;
    }

    /**
     * One service for every test class of a test run that can share it (each class isolates by fresh names), stopped
     * when the JVM exits.
     */
    public static LiveService shared() throws IOException {
        try {
            return new LiveService(ServiceProcess.shared(), false);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** Starts a service of this caller's own; {@link #close()} stops it. */
    public static LiveService start() throws IOException {
        Path workDir = Path.of(System.getProperty("stigmergy.service.work-dir", "target/live-service"), "own");
        try {
            return new LiveService(ServiceProcess.onTestDatabase(workDir), true);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** A client acting as the admin agent. */
    public StigmergyClient admin() {
        return client(adminToken);
    }

    /** A client acting as the agent of {@code token}. */
    public StigmergyClient client(String token) {
        return StigmergyClient.builder().baseUrl(url).token(token).build();
    }

    /** Stops the service when this caller started it; the shared one stops with the JVM. */
    @Override
    public void close() {
        if (owned) {
            try {
                process.close();
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    private static IllegalStateException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new IllegalStateException("interrupted while starting or stopping the service", e);
    }
}
