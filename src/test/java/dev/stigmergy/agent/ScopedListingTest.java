package dev.stigmergy.agent;

import dev.stigmergy.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scoped agent's listings are filtered in their queries (issue 27), not after them: with rows of another environment
 * interleaved in the listing's order, every page is full and its cursor is the agent's own last row.
 */
@QuarkusTest
class ScopedListingTest {

    @Test
    void aScopedAgentsPagesAreFullAndTheirCursorIsItsOwnLastRowWhenAnotherEnvironmentInterleaves() {
        String mine = Api.environment(), other = Api.environment();
        String prefix = Api.fresh("IL");
        Api.Agent holder = Api.agent();
        List<String> myAddresses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            // mine, other, mine, other…: in address order the other environment sits between each two of mine
            String environment = i % 2 == 0 ? mine : other;
            String key = prefix + "-" + i;
            Api.asAdmin().body(Map.of("environment", environment, "title", "Job " + key)).put("/entities/job/" + key)
                    .then().statusCode(201);
            holder.call().body(Map.of("leaseSeconds", 600)).post("/entities/job/" + key + "/lock").then().statusCode(201);
            holder.call().body(Map.of("type", "importance", "intensity", 5)).post("/entities/job/" + key + "/pheromones")
                    .then().statusCode(201);
            if (environment.equals(mine)) {
                myAddresses.add("job/" + key);
            }
        }
        String id = Api.fresh("agent");
        String token = Api.asAdmin().body(Map.of("id", id, "displayName", "scoped", "roles", List.of("agent"),
                "environments", List.of(mine))).post("/agents").then().statusCode(201).extract().path("token");
        Api.Agent scoped = new Api.Agent(id, token);

        // entities, two a page: 2, 2, 1, then an empty page without a cursor
        List<String> seen = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String after = prefix; // every key of this test sorts after its prefix
        while (after != null) {
            RequestSpecification page = scoped.call().queryParam("kind", "job").queryParam("limit", 2)
                    .queryParam("after", after.contains("/") ? after : "job/" + after);
            JsonPath answer = page.get("/entities").then().statusCode(200).extract().jsonPath();
            List<String> addresses = answer.getList("entities.address");
            String next = answer.getString("nextAfter");
            if (addresses.isEmpty()) {
                assertNull(next, "an empty page ends the listing");
            } else {
                assertEquals(addresses.get(addresses.size() - 1), next, "the cursor is the page's own last row");
            }
            sizes.add(addresses.size());
            seen.addAll(addresses);
            after = next;
            assertTrue(sizes.size() <= 10, "the listing ends");
        }
        assertEquals(List.of(2, 2, 1, 0), sizes);
        assertEquals(myAddresses, seen);

        // live locks by holder, two at most: the first two of mine, not one of mine and a gap
        scoped.call().queryParam("holder", holder.id()).queryParam("limit", 2).get("/locks").then().statusCode(200)
                .body("entity", contains(myAddresses.get(0), myAddresses.get(1)));

        // the ranking, two at most: two of mine (other environments' totals are left out by the query)
        JsonPath ranking = scoped.call().queryParam("type", "importance").queryParam("limit", 2)
                .get("/pheromones/ranking").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(mine, mine), ranking.getList("aggregates.environment"));
    }
}
