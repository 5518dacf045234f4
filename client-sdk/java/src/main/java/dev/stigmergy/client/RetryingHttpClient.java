package dev.stigmergy.client;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.Closeable;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * An {@link HttpClient} that retries idempotent requests when the connection fails or a proxy or replica answers
 * 502, 503 or 504; every other request is sent once. Idempotent are GET, PUT, DELETE, HEAD, OPTIONS (a lock's
 * release is a DELETE) and the POSTs that only extend or end the caller's own holds: a lock's renew, an intent's
 * renew and complete, and the agent heartbeat. A 503's {@code Retry-After} (seconds; the service sends it while
 * its database is out) sets the delay before the next attempt, capped at the backoff's maximum.
 *
 * <p>It sits under the generated API classes (which call {@link #send} on the client the
 * {@link ApiClient} hands them), so every generated call gets the same rule without touching generated
 * code. A response timeout is not retried: the call may have taken effect and the caller chose the
 * budget. Asynchronous sends are passed through unchanged.
 */
final class RetryingHttpClient extends HttpClient {

    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "PUT", "DELETE", "HEAD", "OPTIONS");
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(502, 503, 504);
    private static final Pattern IDEMPOTENT_POSTS = Pattern.compile(
            ".*/(entities/[^/]+/[^/]+/lock/renew|intents/[0-9]+/(renew|complete)|agents/me/heartbeat)");

    private final HttpClient delegate;
    private final RetryPolicy<HttpResponse<?>> policy;

    RetryingHttpClient(HttpClient delegate, int maxRetries, Duration firstDelay, Duration maxDelay) {
        this.delegate = delegate;
        var builder = RetryPolicy.<HttpResponse<?>>builder()
                .handleIf(RetryingHttpClient::isConnectionFailure)
                .handleResultIf(response -> RETRYABLE_STATUSES.contains(response.statusCode()))
                .withMaxRetries(maxRetries);
        // Failsafe's backoff needs room to grow; equal delays mean a fixed delay
        if (firstDelay.compareTo(maxDelay) < 0) {
            builder.withBackoff(firstDelay, maxDelay);
        } else {
            builder.withDelay(firstDelay);
        }
        // a negative delay leaves the backoff's own in force
        builder.withDelayFn(context -> retryAfter(context.getLastResult(), maxDelay));
        this.policy = builder
                // a discarded response must give its connection back
                .onRetry(event -> discard(event.getLastResult()))
                .build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (!isIdempotent(request)) {
            return delegate.send(request, handler);
        }
        try {
            @SuppressWarnings("unchecked")
            HttpResponse<T> response = (HttpResponse<T>) Failsafe.with(policy).get(() -> delegate.send(request, handler));
            return response;
        } catch (FailsafeException wrapped) {
            Throwable cause = wrapped.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw wrapped;
        }
    }

    static boolean isIdempotent(HttpRequest request) {
        return IDEMPOTENT_METHODS.contains(request.method())
                || request.method().equals("POST") && IDEMPOTENT_POSTS.matcher(request.uri().getPath()).matches();
    }

    /** The delay a 503's {@code Retry-After} asks for (delta-seconds only), capped at {@code max}; else -1 ms. */
    static Duration retryAfter(HttpResponse<?> response, Duration max) {
        if (response == null || response.statusCode() != 503) {
            return Duration.ofMillis(-1);
        }
        Optional<String> value = response.headers().firstValue("Retry-After");
        try {
            if (value.isPresent()) {
                long seconds = Long.parseLong(value.get().trim());
                if (seconds >= 0) {
                    Duration asked = Duration.ofSeconds(seconds);
                    return asked.compareTo(max) > 0 ? max : asked;
                }
            }
        } catch (NumberFormatException httpDate) {
            // an HTTP date: the backoff's own delay
        }
        return Duration.ofMillis(-1);
    }

    private static boolean isConnectionFailure(Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return true;
        }
        return failure instanceof IOException && !(failure instanceof HttpTimeoutException);
    }

    private static void discard(HttpResponse<?> response) {
        if (response != null && response.body() instanceof Closeable body) {
            try {
                body.close();
            } catch (IOException ignored) {
                // the response is dropped anyway; a failing close only loses the connection for reuse
            }
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return delegate.sendAsync(request, handler);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushPromiseHandler) {
        return delegate.sendAsync(request, handler, pushPromiseHandler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }
}
