package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

import java.util.HashMap;
import java.util.Map;

/** Builders for pheromone tests: fresh signal types and deposits. */
final class Fixtures {

    private Fixtures() {
    }

    /** Registers a fresh EXPONENTIAL type (admin) and answers its name. */
    static String exponentialType(long halfLifeSeconds, Map<String, Object> extra) {
        return register(Map.of("kind", "EXPONENTIAL", "halfLifeSeconds", halfLifeSeconds), extra);
    }

    static String expiryType(long ttlSeconds) {
        return register(Map.of("kind", "EXPIRY", "ttlSeconds", ttlSeconds), Map.of());
    }

    static String reinforcementOnlyType(long windowSeconds) {
        return register(Map.of("kind", "REINFORCEMENT_ONLY", "windowSeconds", windowSeconds), Map.of());
    }

    static String register(Map<String, Object> decay, Map<String, Object> extra) {
        String name = "t_" + Api.fresh("x").replace('-', '_');
        Map<String, Object> body = new HashMap<>(extra);
        body.put("name", name);
        body.put("decay", decay);
        return Api.asAdmin().body(body).post("/signal-types").then().statusCode(201).extract().path("name");
    }

    /** Deposits and answers the pheromone id. */
    static long deposit(Api.Agent agent, String job, String type, double intensity) {
        return ((Number) agent.call().body(Map.of("type", type, "intensity", intensity))
                .post("/entities/job/" + job + "/pheromones")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** Current intensity of a pheromone, read at full double precision. */
    static double intensity(long id) {
        String body = Api.asAdmin().get("/pheromones/" + id).then().statusCode(200).extract().asString();
        return JsonPath.from(body).using(JsonPathConfig.jsonPathConfig()
                .numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)).getDouble("intensity");
    }

    /** A JSON number within 1e-5 of {@code expected} (REST Assured reads numbers as floats). */
    static Matcher<Object> near(double expected) {
        return new TypeSafeMatcher<>(Object.class) {
            @Override
            protected boolean matchesSafely(Object item) {
                return item instanceof Number n && Math.abs(n.doubleValue() - expected) <= 1e-5;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a number within 1e-5 of ").appendValue(expected);
            }
        };
    }
}
