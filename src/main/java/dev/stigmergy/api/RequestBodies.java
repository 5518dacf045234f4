package dev.stigmergy.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reads every request body (POST, PUT, PATCH) whole on the event loop, before the endpoint runs. Without it, Quarkus
 * REST starts a blocking endpoint on a worker thread that then waits for the event loop to hand it the body: two
 * more thread handoffs per call, which on a small machine cost as much CPU as the JSON work (benchmark P2). The
 * size limit is {@code quarkus.http.limits.max-body-size}, as without it (413 above it); multipart uploads are
 * not accepted anywhere, so none are written to disk.
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

    /** Whether the request says a body follows (RFC 9112 §6.3); HTTP/2 requests without a length are read as before. */
    private static boolean declaresBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null || length != null && !length.equals("0");
    }
}
