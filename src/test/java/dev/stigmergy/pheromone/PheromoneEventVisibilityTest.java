package dev.stigmergy.pheromone;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.event.EventView;
import dev.stigmergy.event.EventStreamConfig;
import dev.stigmergy.event.EventVisibility;
import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams respect role locality: pheromone events of types outside the role's slice are not shown. */
@QuarkusTest
class PheromoneEventVisibilityTest {

    @Inject
    EventVisibility visibility;

    @Inject
    ObjectMapper json;

    @Inject
    RoleSliceService slices;

    private EventView event(String type, Map<String, Object> data) {
        return new EventView(1, Instant.now(), type, "env", "job/J-1", "someone", json.valueToTree(data));
    }

    @Test
    void aRoleSeesOnlyPheromoneEventsOfTypesItReads() {
        String role = "r" + Api.fresh("x").substring(2, 14).replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "reads importance only")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("role", role, "reads", List.of("importance"), "writes", List.of(), "reinforces", List.of(),
                        "localQuery", Map.of("entityKinds", List.of(), "types", List.of(), "minIntensity", 0, "limit", 50)))
                .put("/roles/" + role + "/slice").then().statusCode(200);

        Predicate<EventView> visible = visibility.visibleTo("agent-x", role);
        assertTrue(visible.test(event("pheromone.deposited", Map.of("type", "importance"))));
        assertFalse(visible.test(event("pheromone.deposited", Map.of("type", "saturation"))));
        assertTrue(visible.test(event("lock.acquired", Map.of("entity", "job/J-1"))), "other events are not pheromone-typed");

        Predicate<EventView> reviewer = visibility.visibleTo("agent-y", "reviewer");
        assertTrue(reviewer.test(event("pheromone.deposited", Map.of("type", "saturation"))));
    }

    @Test
    void theEventLogShowsARoleOnlyPheromoneEventsOfTypesItReads() {
        String role = "r" + Api.fresh("x").substring(2, 14).replace("-", "");
        Api.asAdmin().body(Map.of("name", role, "description", "reads importance only")).post("/roles").then().statusCode(201);
        Api.asAdmin().body(Map.of("role", role, "reads", List.of("importance"), "writes", List.of(), "reinforces", List.of(),
                        "localQuery", Map.of("entityKinds", List.of(), "types", List.of(), "minIntensity", 0, "limit", 50)))
                .put("/roles/" + role + "/slice").then().statusCode(200);
        String env = Api.environment();
        String job = Api.job(env);
        Api.Agent depositor = Api.agent();
        depositor.call().body(Map.of("type", "importance")).post("/entities/job/" + job + "/pheromones").then().statusCode(201);
        depositor.call().body(Map.of("type", "workingonit")).post("/entities/job/" + job + "/pheromones").then().statusCode(201);

        Api.agent(role).call().queryParam("environment", env).get("/events").then().statusCode(200)
                .body("events.findAll { it.type == 'pheromone.deposited' }.data.type", contains("importance"))
                .body("events.type", hasItem("entity.created"));
        Api.agent("reviewer").call().queryParam("environment", env).get("/events").then().statusCode(200)
                .body("events.findAll { it.type == 'pheromone.deposited' }.data.type", contains("importance", "workingonit"));
    }

    @Test
    void showingEveryEventToEveryRoleIsAnExplicitSetting() {
        EventStreamConfig all = (EventStreamConfig) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventStreamConfig.class}, (proxy, method, args) ->
                        method.getName().equals("allEventsVisible") ? Boolean.TRUE : null);
        Predicate<EventView> visible = new PheromoneEventVisibility(slices, all).visibleTo("agent-x", "worker");
        assertTrue(visible.test(event("pheromone.deposited", Map.of("type", "no_role_reads_this"))));
    }
}
