package dev.stigmergy.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.agent.BearerAuthentication;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.Problem;
import dev.stigmergy.api.StigmergyException;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Guards {@code /mcp} before the MCP extension reads any message: the {@code Origin} check against DNS
 * rebinding (MCP Streamable HTTP transport, "Security Warning"), then the bearer token and optional
 * {@code X-Stigmergy-Role} exactly as for REST. A foreign {@code Origin} answers 403, a missing or unknown
 * token 401, a role the agent did not declare 403, each as {@code application/problem+json}. The resolved
 * identity rides on the request to the tools ({@link ToolCalls#caller()}).
 */
@ApplicationScoped
public class McpAccess {

    /** Routing-context key of the request's {@link AgentService.Authenticated} identity. */
    static final String IDENTITY = "stigmergy.mcp.identity";

    /** Runs before the extension's routes (and the body handler): Quarkus filters precede every route. */
    private static final int PRIORITY = 200;

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private final AgentService agents;
    private final SignalResources resources;
    private final List<String> allowedOrigins;
    private final ObjectMapper json;
    private final BodyHandler bodies;

    public McpAccess(AgentService agents, SignalResources resources, McpConfig config, ObjectMapper json,
                     @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.agents = agents;
        this.resources = resources;
        this.allowedOrigins = config.allowedOrigins().orElse(List.of());
        this.json = json;
        // the extension's own body handler sees the body read and passes it on (Vert.x BodyHandler runs once)
        this.bodies = BodyHandler.create(false).setBodyLimit(maxBody.asLongValue());
    }

    void register(@Observes Filters filters) {
        filters.register(this::guard, PRIORITY);
        filters.register(this::beforeSubscribe, PRIORITY - 1);
    }

    /**
     * Before the extension looks up the resource of a {@code resources/subscribe}, makes a template URI a concrete
     * resource ({@link SignalResources#prepareSubscription}): the extension subscribes to concrete resources only.
     */
    private void beforeSubscribe(RoutingContext ctx) {
        AgentService.Authenticated who = ctx.get(IDENTITY);
        String uri = who == null ? null : subscribedUri(ctx);
        if (uri == null) {
            ctx.next();
            return;
        }
        ctx.vertx().executeBlocking(() -> inRequestContext(() -> resources.prepareSubscription(uri, who)), false)
                .onComplete(done -> ctx.next());
    }

    // the uri of a resources/subscribe message, or null for any other message (or none that parses: the extension
    // answers that)
    private static String subscribedUri(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST || ctx.body() == null || !ctx.body().available()) {
            return null;
        }
        try {
            Object message = ctx.body().buffer().toJson();
            if (message instanceof JsonObject object && "resources/subscribe".equals(object.getString("method"))
                    && object.getValue("params") instanceof JsonObject params && params.getValue("uri") instanceof String uri) {
                return uri;
            }
        } catch (RuntimeException notJson) {
            // the extension answers a parse error
        }
        return null;
    }

    private void guard(RoutingContext ctx) {
        String path;
        try {
            path = ctx.normalizedPath();
        } catch (IllegalArgumentException malformed) {
            // a malformed percent-encoding matches no route, /mcp included: api.RawRequests answers it (400)
            ctx.next();
            return;
        }
        if (!path.equals("/mcp") && !path.startsWith("/mcp/")) {
            ctx.next();
            return;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !allowed(origin)) {
            answer(ctx, new ForbiddenException("Origin '" + abbreviate(origin) + "' may not call /mcp; "
                    + "allow it with stigmergy.mcp.allowed-origins"));
            return;
        }
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        String role = ctx.request().getHeader(BearerAuthentication.ROLE_HEADER);
        // an unknown token costs one indexed read: off the event loop
        ctx.vertx().executeBlocking(() -> authenticate(authorization, role), false).onComplete(done -> {
            if (done.succeeded()) {
                ctx.put(IDENTITY, done.result());
                if (ctx.request().method() == HttpMethod.POST) {
                    bodies.handle(ctx); // reads the message for beforeSubscribe, then calls next
                } else {
                    ctx.next();
                }
            } else if (done.cause() instanceof StigmergyException e) {
                answer(ctx, e);
            } else {
                ctx.fail(done.cause());
            }
        });
    }

    private AgentService.Authenticated authenticate(String authorization, String role) {
        return inRequestContext(() -> agents.authenticateBearer(authorization, role));
    }

    private static <T> T inRequestContext(java.util.function.Supplier<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        requestContext.activate();
        try {
            return work.get();
        } finally {
            requestContext.terminate();
        }
    }

    /** Whether a browser page of {@code origin} may call: loopback on any port, or configured exactly. */
    boolean allowed(String origin) {
        if (allowedOrigins.contains(origin)) {
            return true;
        }
        try {
            URI uri = URI.create(origin);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && LOOPBACK.contains(host);
        } catch (IllegalArgumentException e) {
            return false; // "null" (sandboxed pages, file: URLs) and garbage
        }
    }

    private void answer(RoutingContext ctx, StigmergyException e) {
        Problem problem = new Problem(e.type(), e.title(), e.status(), e.getMessage(), new LinkedHashMap<>(e.members()));
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException impossible) {
            ctx.fail(impossible);
            return;
        }
        var response = ctx.response().setStatusCode(e.status()).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(body);
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "…" : s;
    }
}
