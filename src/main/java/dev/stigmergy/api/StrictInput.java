package dev.stigmergy.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Makes request bodies mean exactly what they say: no content after the JSON value, no silent coercion of
 * numbers or booleans into strings (or strings into numbers), and no NUL character anywhere in a request
 * (path, query, JSON string or member name at any depth), which PostgreSQL text and jsonb cannot store; no blank
 * string read as an absent number or boolean, and no fraction truncated into an integer. Each answers a 400.
 */
@Singleton
public class StrictInput implements ObjectMapperCustomizer {

    private static final String NUL = "\u0000";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Jackson reads "", " " and a NUL (which it counts as blank) into a number or boolean as null, which
        // then means the default: a caller who sent a value must get it or a 400
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false);
        }
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("nul-guard").addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && value.contains(NUL)) {
                    throw ctxt.weirdStringException(value, String.class, "the NUL character is not allowed");
                }
                if (value != null && hasLoneSurrogate(value)) {
                    throw JsonMappingException.from(p, "a lone UTF-16 surrogate (an unpaired \\uD800-\\uDFFF escape) "
                            + "is not a character");
                }
                return value;
            }
        }).addDeserializer(JsonNode.class, new NulFreeTree()));
    }

    /**
     * Reads free JSON (a pheromone payload) like Jackson's own tree reader, then refuses a NUL character in any
     * string or member name at any depth: PostgreSQL {@code jsonb} cannot store U+0000.
     */
    static final class NulFreeTree extends StdDeserializer<JsonNode> {

        private final JsonDeserializer<? extends JsonNode> tree = JsonNodeDeserializer.getDeserializer(JsonNode.class);

        NulFreeTree() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = tree.deserialize(p, ctxt);
            String at = nulAt(node, "");
            if (at != null) {
                throw JsonMappingException.from(p, "the NUL character and lone UTF-16 surrogates are not allowed (at '" + (at.isEmpty() ? "/" : at)
                        + "')");
            }
            return node;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) throws JsonMappingException {
            return tree.getNullValue(ctxt);
        }

        /** The JSON pointer of the first string or name holding a NUL, or {@code null}. */
        private static String nulAt(JsonNode node, String pointer) {
            if (node.isTextual()) {
                return node.textValue().contains(NUL) || hasLoneSurrogate(node.textValue()) ? pointer : null;
            }
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    String at = nulAt(node.get(i), pointer + "/" + i);
                    if (at != null) {
                        return at;
                    }
                }
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> member : node.properties()) {
                    String name = member.getKey();
                    String here = pointer + "/" + name.replace("~", "~0").replace("/", "~1").replace(NUL, "\\u0000");
                    if (name.contains(NUL) || hasLoneSurrogate(name)) {
                        return here;
                    }
                    String at = nulAt(member.getValue(), here);
                    if (at != null) {
                        return at;
                    }
                }
            }
            return null;
        }
    }

    /**
     * Whether {@code s} holds a UTF-16 surrogate without its partner: JSON's {@code \\uD800} escape can produce one,
     * but it is no character, UTF-8 cannot encode it, and PostgreSQL would store a replacement instead.
     */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    @ServerRequestFilter(preMatching = true)
    public void refuseNulInUri(ContainerRequestContext request) {
        if (request.getUriInfo().getPath().contains(NUL) || containsNul(request.getUriInfo().getQueryParameters())) {
            throw new InvalidInputException("the NUL character is not allowed in paths or query parameters");
        }
    }

    private static boolean containsNul(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> e : parameters.entrySet()) {
            if (e.getKey().contains(NUL) || e.getValue().stream().anyMatch(v -> v.contains(NUL))) {
                return true;
            }
        }
        return false;
    }
}
