package dev.stigmergy.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns every failure into an {@code application/problem+json} answer (RFC 9457). Bad input is always a
 * 4xx; a database that cannot be reached is a 503 with {@code Retry-After} ({@link DatabaseOutage}); anything
 * else unexpected is a 500 whose body names no class and carries no stack trace.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    private final DatabaseOutage outage;

    public ProblemMapper(DatabaseOutage outage) {
        this.outage = outage;
    }

    @ServerExceptionMapper
    public Response stigmergy(StigmergyException e) {
        Response response = problem(e.status(), e.type(), e.title(), e.getMessage(), e.members());
        if (e instanceof DatabaseUnavailableException) {
            return Response.fromResponse(response).header("Retry-After", DatabaseOutage.RETRY_AFTER_SECONDS).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Map<String, String>> violations = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", fieldOf(v), "message", v.getMessage()))
                .sorted(Comparator.comparing((Map<String, String> m) -> m.get("field")))
                .collect(Collectors.toCollection(ArrayList::new));
        String detail = violations.stream().map(v -> v.get("field") + ": " + v.get("message"))
                .collect(Collectors.joining("; "));
        return problem(400, "/problems/invalid-input", "Invalid input", detail, Map.of("violations", violations));
    }

    @ServerExceptionMapper
    public Response invalidParameter(QueryParameters.InvalidParameterException e) {
        return problem(400, "/problems/invalid-input", "Invalid input", e.parameter() + ": " + e.getMessage(),
                Map.of("violations", List.of(Map.of("field", e.parameter(), "message", e.getMessage()))));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = e.getPropertyName();
        String why = switch (field) {
            case "agent", "agentId", "holder", "requester", "depositor", "validator" ->
                    ": the acting agent is always the bearer token's agent";
            default -> "";
        };
        return problem(400, "/problems/unknown-field", "Unknown field",
                "unknown field '" + field + "'" + why, Map.of("field", field));
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return problem(400, "/problems/malformed-body", "Malformed body",
                "field '" + pathOf(e) + "': cannot read " + describe(e.getValue()) + " as "
                        + shapeOf(e.getTargetType()), Map.of());
    }

    // Quarkus maps MismatchedInputException itself (bare 400, no body); this exact-type mapper wins over it
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        if (e instanceof InvalidFormatException format) {
            return invalidFormat(format);
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        String path = pathOf(e);
        String expected = "expected " + shapeOf(e.getTargetType());
        return problem(400, "/problems/malformed-body", "Malformed body",
                path.isEmpty() ? "the body: " + expected : "field '" + path + "': " + expected, Map.of());
    }

    @ServerExceptionMapper
    public Response mapping(JsonMappingException e) {
        String path = pathOf(e);
        String at = path.isEmpty() ? "" : "field '" + path + "': ";
        // Jackson names Java types in backticks; callers know JSON shapes, not our classes
        String message = firstLine(e.getOriginalMessage()).replaceAll("`[^`]*`", "value");
        return problem(400, "/problems/malformed-body", "Malformed body", at + message, Map.of());
    }

    @ServerExceptionMapper
    public Response parse(JsonParseException e) {
        return problem(400, "/problems/malformed-body", "Malformed body",
                "malformed JSON: " + firstLine(e.getOriginalMessage()), Map.of());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return problem(400, "/problems/malformed-body", "Malformed body",
                "malformed JSON: " + firstLine(e.getOriginalMessage()), Map.of());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // the JSON reader wraps syntax errors in a bare 400
        if (e.getCause() instanceof JsonMappingException mapping) {
            return mapping(mapping);
        }
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return unexpected(e);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        String title = type.getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no resource at this path";
            case 405 -> "method not allowed on this path";
            case 406 -> "this resource answers application/json only";
            case 415 -> "unsupported content type: send application/json";
            default -> e.getMessage() == null || e.getMessage().isBlank() ? title : firstLine(e.getMessage());
        };
        String slug = title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return problem(status, "/problems/" + slug, title, detail, Map.of());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        if (DatabaseOutage.isOutage(e)) {
            outage.failed(e);
            return stigmergy(new DatabaseUnavailableException());
        }
        LOG.error("unexpected failure", e);
        return problem(500, "/problems/internal", "Internal error",
                "the service failed unexpectedly; the failure is logged", Map.of());
    }

    /** Builds a problem response; the one place that sets the problem media type. */
    public static Response problem(int status, String type, String title, String detail, Map<String, Object> members) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(type, title, status, detail, new LinkedHashMap<>(members)))
                .build();
    }

    private static String fieldOf(ConstraintViolation<?> v) {
        List<String> names = new ArrayList<>();
        for (Path.Node node : v.getPropertyPath()) {
            // the method and parameter nodes name Java code, not the wire shape: keep only what follows
            if (node.getKind() == ElementKind.METHOD) {
                names.clear();
            } else if (node.getKind() == ElementKind.PARAMETER) {
                names.add(node.getName());
                names.add("#param");
            } else {
                // a node's index or key is its place in the container named before it: files[0].lineRanges[0].end
                Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
                if (node.isInIterable() && at != null && !names.isEmpty() && !names.get(names.size() - 1).equals("#param")) {
                    names.add(names.remove(names.size() - 1) + "[" + at + "]");
                }
                if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getKind() != ElementKind.BEAN
                        && node.getName() != null) {
                    names.add(node.getName());
                }
            }
        }
        int param = names.lastIndexOf("#param");
        List<String> tail = param < 0 ? names : names.subList(param + 1, names.size());
        return tail.isEmpty() && param > 0 ? names.get(param - 1) : String.join(".", tail);
    }

    private static String pathOf(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String shapeOf(Class<?> type) {
        if (type == null) {
            return "another JSON value";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == int.class || type == long.class || type == short.class || type == Integer.class
                || type == Long.class || type == Short.class) {
            return "an integer";
        }
        if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a JSON array";
        }
        return "a JSON object";
    }

    private static String describe(Object value) {
        String s = String.valueOf(value);
        return s.length() > 40 ? "'" + s.substring(0, 40) + "…'" : "'" + s + "'";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable body";
        }
        String line = message.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
