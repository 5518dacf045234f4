package dev.stigmergy.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Refuses, before any endpoint runs, what the HTTP layer would otherwise answer bare or silently reinterpret, and
 * writes every failure the router itself reports as {@code application/problem+json}:
 * <ul>
 * <li>a request target that is no URI (RFC 3986), such as a {@code %} not followed by two hex digits: 400 (the
 * HTTP layer's own check, which answers bare, is turned off by {@code StigmergyMain} and the test runs);</li>
 * <li>a request target longer than {@value #MAX_URI_CHARS} characters: 414 (the request line may be up to
 * {@code quarkus.http.limits.max-initial-line-length}; beyond that Vert.x answers 414 itself, without a body);</li>
 * <li>a {@code ;} in the path: 400, since JAX-RS would drop it and what follows as matrix parameters
 * ({@code /entities/job/a;b} would address {@code job/a});</li>
 * <li>a declared {@code Content-Length} above {@code quarkus.http.limits.max-body-size}: 413, as a body read to
 * its end past that size is.</li>
 * </ul>
 */
@ApplicationScoped
public class RawRequests {

    /** Longest request target answered, in characters; RFC 9110 §4.1 recommends supporting at least 8000. */
    static final int MAX_URI_CHARS = 8192;

    private static final Pattern BAD_PERCENT = Pattern.compile("%(?![0-9A-Fa-f]{2})");

    private final long maxBodyBytes;
    private final ObjectMapper json;

    public RawRequests(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody, ObjectMapper json) {
        this.maxBodyBytes = maxBody.asLongValue();
        this.json = json;
    }

    void install(@Observes Router router) {
        // ahead of Quarkus' own upload-limit check, which answers 413 without a body
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
        router.route().order(Integer.MIN_VALUE).failureHandler(this::failure);
        // a path the router cannot even normalise (a bad escape) fails before any route, failure routes included,
        // can match it: only the router's error handler sees it
        router.errorHandler(400, this::failure);
        router.errorHandler(413, this::failure);
    }

    private void check(RoutingContext context) {
        String uri = context.request().uri();
        String path = context.request().path();
        if (!isUri(uri)) {
            write(context, 400, "Malformed URI", BAD_PERCENT.matcher(uri).find()
                    ? "'%' must be followed by two hexadecimal digits (percent-encoding)"
                    : "the request target is not a valid URI (RFC 3986): percent-encode reserved characters");
        } else if (uri.length() > MAX_URI_CHARS) {
            write(context, 414, "URI too long", "the request target is " + uri.length() + " characters; at most "
                    + MAX_URI_CHARS + " are accepted");
        } else if (BAD_PERCENT.matcher(uri).find()) {
            write(context, 400, "Malformed URI", "'%' must be followed by two hexadecimal digits (percent-encoding)");
        } else if (path != null && path.indexOf(';') >= 0) {
            write(context, 400, "Malformed URI", "';' is not allowed in a path: matrix parameters are not "
                    + "supported; percent-encode it as %3B where it is data");
        } else if (declaredLength(context) > maxBodyBytes) {
            write(context, 413, "Content too large", "the body may have at most " + maxBodyBytes + " bytes");
        } else {
            context.next();
        }
    }

    private void failure(RoutingContext context) {
        int status = context.statusCode();
        if (status < 400 || context.response().headWritten()) {
            context.next(); // an exception: Quarkus' error handler logs it and answers 500
            return;
        }
        switch (status) {
            case 400 -> {
                if (BAD_PERCENT.matcher(context.request().uri()).find()) {
                    write(context, 400, "Malformed URI", "'%' must be followed by two hexadecimal digits (percent-encoding)");
                } else {
                    write(context, 400, "Bad request", "the request could not be read");
                }
            }
            case 413 -> write(context, 413, "Content too large", "the body may have at most " + maxBodyBytes + " bytes");
            default -> context.next();
        }
    }

    private static boolean isUri(String uri) {
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static long declaredLength(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        try {
            return length == null ? 0 : Long.parseLong(length.strip());
        } catch (NumberFormatException e) {
            return 0; // the HTTP codec refuses a malformed length itself
        }
    }

    private void write(RoutingContext context, int status, String title, String detail) {
        String slug = "/problems/" + title.toLowerCase().replace(' ', '-');
        String body;
        try {
            body = json.writeValueAsString(new Problem(slug, title, status, detail, Map.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpServerResponse response = context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (status == 413 || status == 414) {
            // the rest of an oversized request is not read: the connection cannot carry another one
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(body);
    }
}
