package dev.stigmergy.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
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
 * Refuses the NUL character anywhere in a request (path, query or JSON string) with a 400: PostgreSQL text
 * cannot store it, so letting it through would turn bad input into a 5xx.
 */
@Singleton
public class NulCharacterGuard implements ObjectMapperCustomizer {

    private static final String NUL = "\u0000";

    @Override
    public void customize(ObjectMapper mapper) {
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
