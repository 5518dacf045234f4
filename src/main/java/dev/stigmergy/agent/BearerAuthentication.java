package dev.stigmergy.agent;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.ForbiddenException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Set;

/**
 * Authenticates every API call by its bearer token (DESIGN.md §6) and enforces read-only roles: a call
 * acting as a read-only role (e.g. {@code reviewer}) may only read, and an {@link AdminOnly} endpoint answers 403
 * to any other role before its body is read. Health, metrics and the spec under
 * {@code /q/} are outside the API and need no token; so are page shells marked {@link PublicPage}, which
 * carry no data.
 */
public class BearerAuthentication {

    /** Header naming the role a call acts as; default is the agent's first role. */
    public static final String ROLE_HEADER = "X-Stigmergy-Role";

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final AgentService agents;
    private final Caller caller;
    private final EnvironmentScopes scopes;

    public BearerAuthentication(AgentService agents, Caller caller, EnvironmentScopes scopes) {
        this.scopes = scopes;
        this.agents = agents;
        this.caller = caller;
    }

    @ServerRequestFilter
    public void authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(PublicPage.class)) {
            return;
        }
        AgentService.Authenticated who = agents.authenticateBearer(request.getHeaderString(HttpHeaders.AUTHORIZATION),
                request.getHeaderString(ROLE_HEADER));
        if (who.readOnly() && !READS.contains(request.getMethod())) {
            throw new ForbiddenException("role '" + who.actingRole() + "' is read-only");
        }
        caller.authenticate(who);
        AdminOnly admin = resource.getResourceMethod() == null ? null : resource.getResourceMethod().getAnnotation(AdminOnly.class);
        if (admin != null) {
            caller.requireAdmin(admin.value());
        }
        scopes.check(request, caller);
    }
}
