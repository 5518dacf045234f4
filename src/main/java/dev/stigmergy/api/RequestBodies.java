package dev.stigmergy.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads every HTTP/1.x request body (POST, PUT, PATCH) whole on the event loop, before the endpoint runs. Without
 * it, Quarkus REST starts a blocking endpoint on a worker thread that then waits for the event loop to hand it the
 * body: two more thread handoffs per call, which on a small machine cost as much CPU as the JSON work (benchmark
 * P2). The size limit is {@code quarkus.http.limits.max-body-size}, as without it (413 above it); multipart uploads
 * are not accepted anywhere, so none are written to disk.
 */
@ApplicationScoped
public class RequestBodies {

    private final long maxBodyBytes;

    public RequestBodies(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(maxBodyBytes);
        // after Quarkus' own upload-limit check, before every endpoint route
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1)
                .method(HttpMethod.POST).method(HttpMethod.PUT).method(HttpMethod.PATCH)
                .handler(context -> {
                    if (declaresBody(context.request())) {
                        bodies.handle(context);
                    } else {
                        // an empty body read here leaves Quarkus REST waiting for one that never comes
                        context.next();
                    }
                });
    }

    /**
     * Whether an HTTP/1.x request says a body follows (RFC 9112 §6.3). HTTP/2 requests are read as before: Quarkus
     * REST pauses each request it starts, which an HTTP/2 request already read whole refuses (a 500).
     */
    private static boolean declaresBody(HttpServerRequest request) {
        if (request.version() == HttpVersion.HTTP_2) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.equals("0");
    }
}
