package dev.stigmergy.colony;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The service the colony talks to: the one answering at the URL, or else one this command starts from the
 * packaged jar, detached, on its embedded database, and leaves running.
 *
 * @param url     base URL
 * @param pid     process id when this command started it, else -1
 * @param log     its log file when started here, else {@code null}
 * @param dataDir the service's data directory (where it writes {@code admin-token})
 */
record LocalService(URI url, long pid, Path log, Path dataDir) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The service's data directory: {@code STIGMERGY_DATA_DIR}, else {@code ~/.stigmergy} (the service's default). */
    static Path defaultDataDir() {
        String configured = System.getenv("STIGMERGY_DATA_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".stigmergy");
    }

    /**
     * Connects to {@code url}, or starts {@code jar} there when nothing answers (only for a local URL) and waits
     * until {@code /q/health/ready} is UP.
     *
     * @throws IllegalStateException nothing answers at a remote URL, the jar is missing, or the service does not get ready
     */
    static LocalService connectOrStart(URI url, Path jar, Duration startTimeout, PrintStream out) throws IOException, InterruptedException {
        Path dataDir = defaultDataDir();
        if (ready(url)) { // one call for a service already up: it lies before the first job
            out.printf("service at %s is up; using it%n", url);
            return new LocalService(url, -1, null, dataDir);
        }
        if (answers(url)) {
            awaitReady(url, startTimeout, null);
            out.printf("service at %s is up; using it%n", url);
            return new LocalService(url, -1, null, dataDir);
        }
        String host = url.getHost();
        if (!"localhost".equals(host) && !"127.0.0.1".equals(host)) {
            throw new IllegalStateException("nothing answers at " + url + ", and only a local service can be started here");
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("nothing answers at " + url + " and there is no service jar at " + jar
                    + "; build it with ./mvnw -DskipTests package");
        }
        Files.createDirectories(dataDir);
        Path log = dataDir.resolve("service.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // setsid puts it in its own session: a Ctrl-C on this command does not reach the service it leaves up
        boolean setsid = new File("/usr/bin/setsid").canExecute() || new File("/bin/setsid").canExecute();
        ProcessBuilder builder = setsid
                ? new ProcessBuilder("setsid", java, "-jar", jar.toAbsolutePath().toString())
                : new ProcessBuilder(java, "-jar", jar.toAbsolutePath().toString());
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(url.getPort() > 0 ? url.getPort() : 80));
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process process = builder.start();
        out.printf("no service at %s: started %s (pid %d, log %s); waiting until it is ready…%n", url, jar, process.pid(), log);
        awaitReady(url, startTimeout, process);
        return new LocalService(url, process.pid(), log, dataDir);
    }

    boolean startedHere() {
        return pid > 0;
    }

    private static boolean answers(URI url) throws InterruptedException {
        try {
            HTTP.send(HttpRequest.newBuilder(url.resolve("/q/health/live")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (java.net.ConnectException refused) {
            return false;
        } catch (IOException slow) {
            // a timeout is a service too busy to answer in time, not a free port: starting another would fail on it
            return true;
        }
    }

    private static void awaitReady(URI url, Duration timeout, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the service exited with " + process.exitValue() + "; see its log");
            }
            if (ready(url)) {
                return;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the service at " + url + " is not ready within " + timeout);
    }

    /** Whether {@code /q/health/ready} answers UP now (refused until its HTTP server is up). */
    private static boolean ready(URI url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }
}
