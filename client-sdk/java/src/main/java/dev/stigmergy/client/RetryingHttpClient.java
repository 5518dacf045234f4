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

/**
 * An {@link HttpClient} that retries idempotent requests (GET, PUT, DELETE, HEAD, OPTIONS) when the
 * connection fails or a proxy or replica answers 502, 503 or 504; every other request is sent once.
 *
 * <p>It sits under the generated API classes (which call {@link #send} on the client the
 * {@link ApiClient} hands them), so every generated call gets the same rule without touching generated
 * code. A response timeout is not retried: the call may have taken effect and the caller chose the
 * budget. Asynchronous sends are passed through unchanged.
 */
final class RetryingHttpClient extends HttpClient {

    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "PUT", "DELETE", "HEAD", "OPTIONS");
    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(502, 503, 504);

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
        this.policy = builder
                // a discarded response must give its connection back
                .onRetry(event -> discard(event.getLastResult()))
                .build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        if (!IDEMPOTENT_METHODS.contains(request.method())) {
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
