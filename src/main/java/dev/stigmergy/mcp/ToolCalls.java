package dev.stigmergy.mcp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.agent.EnvironmentScopes;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.Problem;
import dev.stigmergy.api.StigmergyException;
import io.quarkiverse.mcp.server.JsonRpcErrorCodes;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What every tool does around its service call: the caller from the request's token, the read-only check of
 * the acting role, the environment scope (REST's rule, {@link EnvironmentScopes}: the services refuse an out-of-scope
 * row with REST's 403 problem and list only what is in scope; a call refused otherwise before its row was loaded
 * answers that 403 when the row lies outside; answers lose what lies outside), the wire records' constraints, and the
 * translation of outcomes. A result is a tool result
 * whose structured content is the same record the REST call answers (and its JSON as text). A refusal the
 * agent can act on (403, 404, 409) is a tool result with {@code isError: true} whose structured content is
 * the problem document REST would answer, plus a {@code next} hint; bad arguments (400) are a JSON-RPC
 * invalid-params error naming the field, and change nothing.
 */
@ApplicationScoped
public class ToolCalls {

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** What the agent can do next, by problem type: the door's advice, not a rule. */
    private static final Map<String, String> NEXT = Map.ofEntries(
            Map.entry("/problems/lock-held", "the lock lapses at hold.expiresAt unless renewed: pick other work, "
                    + "or call request_unlock with a reason (handover true to be handed the lock)"),
            Map.entry("/problems/claim-held", "another agent claimed it first: pick another pheromone, or wait "
                    + "for the claim's expiresAt"),
            Map.entry("/problems/intent-denied", "the decision names each denied file's holder and intent: "
                    + "declare other files, use mode 'partial', or call request_unlock with that intentId"),
            Map.entry("/problems/not-holder", "only the holder may do this; call my_holds to see what you hold"),
            Map.entry("/problems/not-locked", "nothing to release: the lock ended or lapsed"),
            Map.entry("/problems/intent-not-active", "the intent already ended; declare a new one if you still edit"),
            Map.entry("/problems/unlock-request-not-pending", "the request was already decided, withdrawn, "
                    + "expired or made obsolete"),
            Map.entry("/problems/outside-role-slice", "the acting role may not use this signal type; act as "
                    + "another of your roles (X-Stigmergy-Role) or use a type of your slice"),
            Map.entry("/problems/forbidden", "the acting role may not do this"),
            Map.entry("/problems/not-found", "check the address or id; entities are kind/key"));

    private final CurrentVertxRequest request;
    private final Validator validator;
    private final EnvironmentScopes scopes;
    private final ObjectMapper json;

    public ToolCalls(CurrentVertxRequest request, Validator validator, EnvironmentScopes scopes, ObjectMapper json) {
        this.request = request;
        this.validator = validator;
        this.scopes = scopes;
        // absent optional members are left out rather than null: output schemas type them (string, number)
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** A call that only reads: any authenticated role may make it. */
    ToolResponse read(Addressed where, Function<Caller, ?> call) {
        return run(identity(), where, call);
    }

    /** A call that changes state: refused (403) when the acting role is read-only, as REST refuses non-GETs. */
    ToolResponse write(Addressed where, Function<Caller, ?> call) {
        AgentService.Authenticated who = identity();
        if (who.readOnly()) {
            return refused(new ForbiddenException("role '" + who.actingRole() + "' is read-only"));
        }
        return run(who, where, call);
    }

    /**
     * A resource read: the same record the REST read answers, as JSON text. Resources have no error results,
     * so an unknown entity is a resource-not-found error, bad input invalid params, a refusal a security error.
     */
    String content(Addressed where, Function<Caller, ?> read) {
        return content(identity(), where, read);
    }

    /** {@link #content(Addressed, Function)} as {@code who}, off a tool or resource call (before a subscription). */
    String content(AgentService.Authenticated who, Addressed where, Function<Caller, ?> read) {
        Caller caller = Caller.of(who);
        try {
            scopes.check(caller, where.environment(), where.path());
            return json.writeValueAsString(scoped(caller, read.apply(caller)));
        } catch (StigmergyException refused) {
            StigmergyException e = scopeFirst(caller, where, refused);
            int code = switch (e.status()) {
                case 400 -> JsonRpcErrorCodes.INVALID_PARAMS;
                case 404 -> JsonRpcErrorCodes.RESOURCE_NOT_FOUND;
                default -> JsonRpcErrorCodes.SECURITY_ERROR;
            };
            throw new McpException(e.getMessage(), code);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a service record could not be written as JSON", e);
        }
    }

    /**
     * Checks a wire record's constraints, as {@code @Valid} does for REST.
     *
     * @throws McpException invalid params, naming each violated field
     */
    <T> T valid(T record) {
        Set<ConstraintViolation<T>> violations = validator.validate(record);
        if (!violations.isEmpty()) {
            throw invalidParams(new ConstraintViolationException(violations));
        }
        return record;
    }

    /** Invalid params: an argument breaks its rule. */
    static McpException invalidParams(String field, String message) {
        return new McpException("invalid argument '" + field + "': " + message, JsonRpcErrorCodes.INVALID_PARAMS);
    }

    private ToolResponse run(AgentService.Authenticated who, Addressed where, Function<Caller, ?> call) {
        Object result;
        Caller caller = Caller.of(who);
        try {
            scopes.check(caller, where.environment(), where.path());
            result = scoped(caller, call.apply(caller));
        } catch (ConstraintViolationException e) {
            StigmergyException outside = scopeFirst(caller, where, null);
            if (outside != null) {
                return refused(outside);
            }
            throw invalidParams(e);
        } catch (StigmergyException refused) {
            StigmergyException e = scopeFirst(caller, where, refused);
            if (e.status() == 400) {
                throw new McpException(e.getMessage(), JsonRpcErrorCodes.INVALID_PARAMS);
            }
            return refused(e);
        }
        return answer(false, result);
    }

    // a refusal before the service loaded the addressed row: the scope's 403 when that row lies outside the scope, as
    // REST answers it (EnvironmentScopes#refusal); otherwise the refusal itself
    private StigmergyException scopeFirst(Caller caller, Addressed where, StigmergyException refused) {
        if (!caller.scoped() || (refused != null && EnvironmentScopes.scopeRefusal(refused.type(), refused.getMessage()))) {
            return refused;
        }
        return scopes.refusal(caller, where.path()).map(StigmergyException.class::cast).orElse(refused);
    }

    // the answer as a scoped agent may read it: what REST's response filter leaves of the same record
    private Object scoped(Caller caller, Object result) {
        if (!caller.scoped()) {
            return result;
        }
        JsonNode tree = json.valueToTree(result);
        scopes.prune(caller, tree, false);
        return tree;
    }

    private ToolResponse refused(StigmergyException e) {
        Map<String, Object> members = new LinkedHashMap<>(e.members());
        String next = NEXT.get(e.type());
        if (next != null) {
            members.put("next", next);
        }
        return answer(true, new Problem(e.type(), e.title(), e.status(), e.getMessage(), members));
    }

    private ToolResponse answer(boolean error, Object result) {
        try {
            // through the service's ObjectMapper, so that times, enums and problems read as over REST
            Map<String, Object> structured = json.convertValue(result, MAP);
            return new ToolResponse(error, List.of(new TextContent(json.writeValueAsString(structured))), structured, null);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("a service record could not be written as JSON", e);
        }
    }

    private AgentService.Authenticated identity() {
        RoutingContext ctx = request.getCurrent();
        AgentService.Authenticated who = ctx == null ? null : ctx.get(McpAccess.IDENTITY);
        if (who == null) {
            // McpAccess answers 401 before any message is read; reaching here means a route it did not guard
            throw new McpException("no authenticated agent", JsonRpcErrorCodes.SECURITY_ERROR);
        }
        return who;
    }

    private static McpException invalidParams(ConstraintViolationException e) {
        List<String> violations = e.getConstraintViolations().stream()
                .map(v -> fieldOf(v) + ": " + v.getMessage())
                .sorted(Comparator.naturalOrder())
                .collect(Collectors.toCollection(ArrayList::new));
        return new McpException("invalid arguments: " + String.join("; ", violations), JsonRpcErrorCodes.INVALID_PARAMS);
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        return v.getPropertyPath().toString(); // files[0].level: the argument's JSON path
    }
}
