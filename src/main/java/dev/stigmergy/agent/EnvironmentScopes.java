package dev.stigmergy.agent;

import dev.stigmergy.caller.Caller;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.util.Iterator;
import java.util.List;

/**
 * What the doors (REST, MCP) add to the environment scopes that the services apply (issue 27), applying
 * {@link Caller#reaches}. The services refuse, where they load the addressed row (entity, pheromone, intent, unlock
 * request), a row outside the caller's scope (403, nothing changed), and their listings filter by the scope in the
 * query, so pages are full. At the door, without reading any row: an environment the call names (a path or query
 * parameter {@code environment}, {@code /environments/{name}}) must be in the scope; a single object answered of
 * another environment is refused and elements of other environments are dropped from what is answered (a net for
 * reads without a scoped query, e.g. {@code GET /environments}). Only when a call of a scoped agent is refused for
 * another reason before its service loaded the row (bad input, say) does the door read the addressed row's
 * environment, so that a row outside the scope answers the scope's 403 rather than tell what its input would have
 * done ({@link #refusal}). Event pages and streams apply the rule through {@code EventResource}. Agents without a
 * scope pay nothing: every step returns at once.
 */
@ApplicationScoped
public class EnvironmentScopes {

    private final EntityManager em;
    private final ObjectMapper json;
    private final Caller caller;

    public EnvironmentScopes(EntityManager em, ObjectMapper json, Caller caller) {
        this.em = em;
        this.json = json;
        this.caller = caller;
    }

    /**
     * Refuses a call of a scoped agent that names an environment outside its scope; reads nothing.
     *
     * @throws dev.stigmergy.api.ForbiddenException the named environment is outside the scope (403)
     */
    void check(ContainerRequestContext request, Caller who) {
        if (!who.scoped()) {
            return;
        }
        UriInfo uri = request.getUriInfo();
        who.requireEnvironment(uri.getQueryParameters().getFirst("environment"));
        check(who, uri.getPathParameters().getFirst("environment"),
                uri.getPathSegments().stream().map(s -> s.getPath()).toList());
    }

    /**
     * The request half for any door (REST, MCP tools and resources): refuses a call of a scoped agent whose
     * {@code environment} argument, or the environment its REST path names ({@code environments/E}), is outside the
     * scope; reads nothing (the services check the rows they load). A door that is not a JAX-RS resource names the
     * REST path its call stands for ({@code entities/job/K}, {@code intents/42}).
     *
     * @param environment the environment the call names, or null
     * @param segments    the REST path segments of the addressed object, without the leading slash; may be empty
     * @throws dev.stigmergy.api.ForbiddenException the named environment is outside the scope (403)
     */
    public void check(Caller who, String environment, List<String> segments) {
        if (!who.scoped()) {
            return;
        }
        who.requireEnvironment(environment);
        if (segments.size() >= 2 && "environments".equals(segments.get(0))) {
            who.requireEnvironment(segments.get(1));
        }
    }

    /**
     * For a call of a scoped agent already refused for another reason (bad input, not found, a conflict): the scope's
     * refusal instead when the row its REST path names (entity, pheromone, intent, unlock request, or a dependency's
     * other end) lies outside the scope, so such a call learns nothing about that row. Reads that row's environment:
     * the one read the scope costs at a door, and only on this path.
     *
     * @param segments the REST path segments of the addressed object, without the leading slash; may be empty
     * @return the 403 to answer instead, or empty to keep the refusal
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public java.util.Optional<ForbiddenException> refusal(Caller who, List<String> segments) {
        if (!who.scoped()) {
            return java.util.Optional.empty();
        }
        try {
            who.requireEnvironment(addressedEnvironment(segments, who));
            return java.util.Optional.empty();
        } catch (ForbiddenException outside) {
            return java.util.Optional.of(outside);
        }
    }

    // the environment of the entity, pheromone, intent or unlock request the path names; null when none (or unknown:
    // the call answers its own 404)
    private String addressedEnvironment(List<String> segments, Caller who) {
        if (segments.size() < 2) {
            return null;
        }
        String first = segments.get(0);
        String sql = switch (first) {
            case "entities" -> segments.size() >= 3 ? "select environment from entity where kind = :a and key = :b" : null;
            case "pheromones" -> "select environment from pheromone where id = cast(:a as bigint)";
            case "intents" -> "select environment from intent where id = cast(:a as bigint)";
            case "unlock-requests" -> "select environment from unlock_request where id = cast(:a as bigint)";
            default -> null;
        };
        if (sql == null || (!"entities".equals(first) && !segments.get(1).matches("[0-9]{1,18}"))) {
            return null;
        }
        var query = em.createNativeQuery(sql).setParameter("a", segments.get(1));
        if ("entities".equals(first)) {
            query.setParameter("b", segments.get(2));
        }
        List<?> found = query.getResultList();
        String environment = found.isEmpty() ? null : (String) found.get(0);
        if ("entities".equals(first) && segments.size() >= 6 && "dependencies".equals(segments.get(3))) {
            // the other end of a dependency must be reachable too
            who.requireEnvironment(addressedEnvironment(List.of("entities", segments.get(4), segments.get(5)), who));
        }
        return environment;
    }

    /**
     * Drops the elements of other environments from what a scoped agent reads; answers the scope's 403 instead of
     * another refusal of a call addressing a row outside the scope ({@link #refusal}).
     */
    @ServerResponseFilter
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!caller.scoped()) {
            return;
        }
        List<String> segments = request.getUriInfo().getPathSegments().stream().map(s -> s.getPath()).toList();
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 401) {
            if (!(response.getEntity() instanceof Problem p && scopeRefusal(p.type(), p.detail()))) {
                refusal(caller, segments).ifPresent(e -> forbid(response, e));
            }
            return;
        }
        if (response.getEntity() == null || status >= 300
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        JsonNode body = json.valueToTree(response.getEntity());
        boolean environments = segments.size() == 1 && "environments".equals(segments.get(0));
        try {
            if (prune(caller, body, environments)) {
                response.setEntity(body, null, response.getMediaType());
            }
        } catch (ForbiddenException e) {
            forbid(response, e);
        }
    }

    /** Whether a problem is already the scope's own refusal ({@link Caller#requireEnvironment}). */
    public static boolean scopeRefusal(String type, String detail) {
        return "/problems/forbidden".equals(type) && detail != null && detail.contains("outside the scope");
    }

    private static void forbid(ContainerResponseContext response, ForbiddenException e) {
        response.setStatus(403);
        response.setEntity(new Problem(e.type(), e.title(), 403, e.getMessage(), java.util.Map.of()), null,
                MediaType.valueOf(Problem.MEDIA_TYPE));
    }

    /**
     * The response half for any door: removes from {@code body}, at any depth, every object of an environment
     * outside the scope of a scoped agent (its {@code environment} member; on the environment listing, its
     * {@code name}).
     *
     * @param environmentListing whether {@code body} is the listing of environments
     * @return whether anything was removed
     * @throws ForbiddenException {@code body} itself is one object of an environment outside the scope (403)
     */
    public boolean prune(Caller who, JsonNode body, boolean environmentListing) {
        if (!who.scoped()) {
            return false;
        }
        if (body.isObject() && !environmentListing && !reachable(who, body, "environment")) {
            who.requireEnvironment(body.get("environment").asText());
        }
        return prune(who, body, environmentListing ? "name" : "environment");
    }

    // removes array elements out of scope, at any depth; true when it removed any
    private boolean prune(Caller who, JsonNode node, String member) {
        boolean removed = false;
        if (node instanceof ArrayNode array) {
            for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
                JsonNode element = it.next();
                if (element.isObject() && !reachable(who, element, member)) {
                    it.remove();
                    removed = true;
                } else {
                    removed |= prune(who, element, member);
                }
            }
        } else if (node instanceof ObjectNode object) {
            for (JsonNode value : object) {
                removed |= prune(who, value, member);
            }
        }
        return removed;
    }

    private boolean reachable(Caller who, JsonNode object, String member) {
        JsonNode value = object.get(member);
        return value == null || !value.isTextual() || who.reaches(value.asText());
    }
}
