package dev.stigmergy.agent;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code GET /agents} pages by id (issue 29: the unpaged list was 520 kB at 2,000 agents), as the other listings do:
 * {@code after} is the previous page's {@code nextAfter}, {@code limit} 1–1000 with 100 by default.
 */
@QuarkusTest
class AgentListingTest {

    private static void register(String id) {
        Api.asAdmin().body(Map.of("id", id, "displayName", "Paged " + id, "roles", List.of("agent")))
                .post("/agents").then().statusCode(201);
    }

    private static JsonPath page(String after, int limit) {
        return Api.asAdmin().queryParam("after", after).queryParam("limit", limit).get("/agents")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void pagesWalkTheAgentsInIdOrderAndTheirCursorIsThePagesLastId() {
        String prefix = Api.fresh("paged");
        for (String suffix : List.of("c", "a", "b")) {
            register(prefix + "-" + suffix);
        }
        JsonPath first = page(prefix, 2);
        assertEquals(List.of(prefix + "-a", prefix + "-b"), first.getList("agents.id"));
        assertEquals(prefix + "-b", first.getString("nextAfter"));
        JsonPath second = page(first.getString("nextAfter"), 2);
        assertEquals(prefix + "-c", second.getString("agents[0].id"));
        assertEquals("Paged " + prefix + "-c", second.getString("agents[0].displayName"));
    }

    @Test
    void theLastPageHasNoNextAfterAndEachAgentCarriesItsLiveness() {
        // after every other id the tests register, this run's and those left in the database by earlier runs:
        // the clock's milliseconds, at a fixed width, only grow
        long now = System.currentTimeMillis();
        String last = "zzzzzzzz-zz-" + now;
        register(last);
        JsonPath page = page("zzzzzzzz-zz-" + (now - 1), 1);
        assertEquals(List.of(last), page.getList("agents.id"));
        assertNull(page.getString("nextAfter"), "a page shorter than its limit is the last");
        assertEquals("gone", page.getString("agents[0].liveness.state"), "never heartbeat, holds nothing");
    }

    @Test
    void theDefaultPageHoldsAtMostOneHundredAndTheLimitIsBounded() {
        Api.asAdmin().get("/agents").then().statusCode(200).body("agents.size()", lessThanOrEqualTo(100));
        for (String limit : List.of("0", "1001", "many")) {
            Api.asAdmin().queryParam("limit", limit).get("/agents").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }
}
