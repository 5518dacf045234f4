package dev.stigmergy.event;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.stigmergy.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class EventLogTest {

    @Test
    void everyChangeAppendsOneEventInOrder() {
        Api.Agent agent = Api.agent("maintainer");
        String env = Api.fresh("env");
        agent.call().body(Map.of("name", env)).post("/environments").then().statusCode(201);
        agent.call().body(Map.of("environment", env, "title", "t")).put("/entities/job/" + env).then().statusCode(201);
        agent.call().body(Map.of("environment", env, "title", "t2")).put("/entities/job/" + env).then().statusCode(200);

        List<Map<String, Object>> events = asAdmin().queryParam("environment", env).get("/events")
                .then().statusCode(200).body("events", hasSize(3))
                .extract().path("events");
        assertEquals(List.of("environment.created", "entity.created", "entity.updated"),
                events.stream().map(e -> e.get("type")).toList());
        assertTrue(events.stream().allMatch(e -> agent.id().equals(e.get("agent"))));
        assertEquals("t2", ((Map<?, ?>) events.get(2).get("data")).get("title"));
        long first = ((Number) events.get(0).get("id")).longValue();
        long last = ((Number) events.get(2).get("id")).longValue();
        assertTrue(first < last);
    }

    @Test
    void pagingWithAfterReadsOn() {
        String env = Api.environment();
        Api.job(env);
        Api.job(env);
        int next = asAdmin().queryParam("environment", env).queryParam("limit", 1).get("/events")
                .then().body("events", hasSize(1)).body("events[0].type", equalTo("environment.created"))
                .extract().path("nextAfter");
        asAdmin().queryParam("environment", env).queryParam("after", next).get("/events")
                .then().body("events", hasSize(2)).body("events[0].type", equalTo("entity.created"));
    }

    @Test
    void filtersByTypeAndEntity() {
        String env = Api.environment();
        String key = Api.job(env);
        asAdmin().queryParam("entity", "job/" + key).queryParam("type", "entity.created").get("/events")
                .then().statusCode(200).body("events", hasSize(1)).body("events[0].environment", equalTo(env));
    }

    @Test
    void negativeAfterAnswers400() {
        asAdmin().queryParam("after", -1).get("/events").then().statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("after"));
    }
}
