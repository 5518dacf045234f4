package dev.stigmergy.api;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads numeric query parameters strictly and names the parameter when one is malformed ({@code limit=abc},
 * {@code after=1.5}): a 400 problem with {@code violations[]}. JAX-RS would otherwise answer a query parameter it
 * cannot convert with 404, as if the path did not exist.
 */
@Provider
public class QueryParameters implements ParamConverterProvider {

    private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(
            int.class, Integer::valueOf, Integer.class, Integer::valueOf,
            long.class, Long::valueOf, Long.class, Long::valueOf,
            double.class, QueryParameters::finite, Double.class, QueryParameters::finite);

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        Function<String, ?> parser = PARSERS.get(rawType);
        String name = nameOf(annotations);
        if (parser == null || name == null) {
            return null;
        }
        String shape = rawType == double.class || rawType == Double.class ? "a number" : "an integer";
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    // Double.valueOf would skip surrounding blanks
                    if (value.strip().equals(value)) {
                        return (T) parser.apply(value);
                    }
                } catch (NumberFormatException e) {
                    // answered below
                }
                throw new InvalidParameterException(name, "must be " + shape + "; got '" + shorten(value) + "'");
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    private static Double finite(String value) {
        double d = Double.parseDouble(value);
        if (!Double.isFinite(d)) {
            throw new NumberFormatException(value);
        }
        return d;
    }

    private static String nameOf(Annotation[] annotations) {
        for (Annotation a : annotations) {
            if (a instanceof QueryParam query) {
                return query.value();
            }
        }
        return null;
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }

    /**
     * A query parameter that cannot be read as its declared type: 400. A {@link BadRequestException}, so that the
     * JAX-RS parameter handling passes it through as it is instead of wrapping it in a 404.
     */
    public static class InvalidParameterException extends BadRequestException {

        private final String parameter;

        public InvalidParameterException(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        /** The query parameter's name. */
        public String parameter() {
            return parameter;
        }
    }
}
