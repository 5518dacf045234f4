package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.stigmergy.client.ApiClient;
import dev.stigmergy.client.StigmergyClient;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.Callable;

/**
 * What every command shares: {@code --json}, the settings ({@link Settings}), one configured client, and printing.
 * A command translates its arguments into one or a few calls of the Java client and prints the answer; the rules
 * stay in the service.
 */
abstract class StigCommand implements Callable<Integer> {

    /** The generated client's JSON settings (RFC 3339 times), indented; loaded on first use, off the hooks' fast path. */
    static final class Json {
        static final ObjectMapper MAPPER = ApiClient.createDefaultObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        private Json() {
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the service's answer as JSON (its wire shape) instead of text.")
    boolean json;

    @Option(names = "--url", paramLabel = "URL",
            description = "Service URL (default: $STIGMERGY_URL, then url= in .stigmergy, then http://localhost:8080).")
    String url;

    /** The directory settings are read from (its repository's {@code .stigmergy}); hooks use the event's. */
    Path directory = Path.of("");
    private Settings settings;
    private StigmergyClient client;
    final Clock clock = Clock.systemUTC();

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /** Does the command's work; answers the exit code, or throws {@link StigException} / the client's ApiException. */
    abstract int run() throws Exception;

    Settings settings() {
        if (settings == null) {
            settings = Settings.load(System.getenv(), directory);
        }
        return settings;
    }

    StigmergyClient client() {
        if (client == null) {
            Settings s = settings();
            client = StigmergyClient.builder().baseUrl(s.url(url)).token(s.token()).role(s.role())
                    .connectTimeout(Duration.ofSeconds(5)).build();
        }
        return client;
    }

    /** The entity given, else STIGMERGY_ENTITY. */
    EntityAddress entity(String given) {
        return EntityAddress.parse(given != null ? given : settings().entity());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Prints {@code answer} as JSON under {@code --json}, else {@code text}. */
    void print(Object answer, String text) {
        if (json) {
            out().println(toJson(answer));
        } else {
            out().println(text);
        }
        out().flush();
    }

    static String toJson(Object value) {
        try {
            return Json.MAPPER.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** {@code 2026-03-01T10:15:00Z (in 9m 30s)}. */
    String until(OffsetDateTime at) {
        if (at == null) {
            return "-";
        }
        Instant when = at.toInstant();
        long seconds = Duration.between(clock.instant(), when).getSeconds();
        String left = seconds <= 0 ? "expired" : "in " + (seconds >= 60 ? seconds / 60 + "m " : "") + seconds % 60 + "s";
        return when + " (" + left + ")";
    }
}
