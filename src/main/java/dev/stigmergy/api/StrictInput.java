package dev.stigmergy.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
 * (path, query or JSON string), which PostgreSQL text cannot store. Each answers a 400.
 */
@Singleton
public class StrictInput implements ObjectMapperCustomizer {

    private static final String NUL = "\u0000";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.registerModule(new SimpleModule("nul-guard").addDeserializer(String.class, new StringDeserializer() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String value = super.deserialize(p, ctxt);
                if (value != null && value.contains(NUL)) {
                    throw ctxt.weirdStringException(value, String.class, "the NUL character is not allowed");
                }
                return value;
            }
        }));
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
