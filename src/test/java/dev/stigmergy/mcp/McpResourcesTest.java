package dev.stigmergy.mcp;

import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Resources (entity signals, environment files, own holds), subscriptions and prompts of {@code /mcp}. */
@QuarkusTest
class McpResourcesTest {

    @TestHTTPResource("/mcp")
    URI endpoint;

    private static String text(JsonPath read) {
        return read.getString("result.contents[0].text");
    }

    @Test
    void entityResourceIsWhatSenseEntityAnswersAndUnknownEntitiesAreNotFound() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        agent.call().body(Map.of("type", "importance", "intensity", 2.0)).post("/entities/job/" + key + "/pheromones")
                .then().statusCode(201);
        McpClient client = McpClient.open(agent.token());

        List<Map<String, Object>> templates = client.request("resources/templates/list", Map.of()).getList("result.resourceTemplates");
        assertTrue(templates.stream().anyMatch(t -> "stigmergy://entities/{kind}/{key}".equals(t.get("uriTemplate"))));

        JsonPath read = client.request("resources/read", Map.of("uri", "stigmergy://entities/job/" + key));
        JsonPath signals = JsonPath.from(text(read));
        assertEquals("job/" + key, signals.getString("entity"));
        assertEquals("importance", signals.getString("pheromones[0].type"));
        assertEquals(agent.id(), signals.getString("pheromones[0].depositor"));

        JsonPath unknown = McpClient.open(agent.token()).request("resources/read",
                Map.of("uri", "stigmergy://entities/job/NO-SUCH-" + key));
        assertEquals(-32002, unknown.getInt("error.code"));
    }

    @Test
    void environmentFilesAndOwnHoldsAreResources() {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        McpClient client = McpClient.open(agent.token());
        client.call("declare_intent", Map.of("environment", env, "entity", "job/" + key, "description", "x",
                "leaseSeconds", 60, "files", List.of(Map.of("path", "src/Main.java", "level", 4))));

        JsonPath blocked = JsonPath.from(text(client.request("resources/read",
                Map.of("uri", "stigmergy://environments/" + env + "/blocked-files"))));
        assertEquals("src/Main.java", blocked.getString("[0].path"));
        assertEquals(agent.id(), blocked.getString("[0].holder"));
        JsonPath held = JsonPath.from(text(client.request("resources/read",
                Map.of("uri", "stigmergy://environments/" + env + "/held-files"))));
        assertEquals(4, held.getInt("[0].level"));
        JsonPath holds = JsonPath.from(text(client.request("resources/read", Map.of("uri", "stigmergy://agents/me/holds"))));
        assertEquals(agent.id(), holds.getString("agent"));
        assertEquals(1, holds.getList("intents").size());
    }

    @Test
    void anEntityNeverReadCanBeSubscribedToAndAnUnknownOneIsNotFound() throws Exception {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        McpClient client = McpClient.open(agent.token());
        JsonPath unknown = client.request("resources/subscribe", Map.of("uri", "stigmergy://entities/job/NO-SUCH-" + key));
        assertEquals(-32002, unknown.getInt("error.code"), unknown.prettify());
        assertNotified(agent, client, "stigmergy://entities/job/" + key, key, false);
    }

    @Test
    void aSubscribedEntityIsNotifiedWhenItChanges() throws Exception {
        String env = Api.environment();
        String key = Api.job(env);
        Api.Agent agent = Api.agent();
        McpClient client = McpClient.open(agent.token());
        assertNotified(agent, client, "stigmergy://entities/job/" + key, key, true);
    }

    private void assertNotified(Api.Agent agent, McpClient client, String uri, String key, boolean readFirst) throws Exception {
        if (readFirst) {
            client.request("resources/read", Map.of("uri", uri));
        }
        JsonPath subscribed = client.request("resources/subscribe", Map.of("uri", uri));
        assertTrue(subscribed.getMap("result") != null, subscribed.prettify());

        // the server's messages outside a request arrive on the session's GET stream
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<Stream<String>>> stream = http.sendAsync(HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + agent.token()).header("Accept", "text/event-stream")
                .header("Mcp-Session-Id", client.session()).header("MCP-Protocol-Version", McpClient.PROTOCOL)
                .GET().build(), HttpResponse.BodyHandlers.ofLines());
        Thread reader = new Thread(() -> stream.thenAccept(r -> r.body().forEach(lines::add)));
        reader.setDaemon(true);
        reader.start();
        Await.until(() -> stream.isDone(), Duration.ofSeconds(10), Duration.ofMillis(20), "the GET stream opens");
        assertEquals(200, stream.get().statusCode());

        Api.Agent other = Api.agent();
        other.call().body(Map.of("leaseSeconds", 30)).post("/entities/job/" + key + "/lock").then().statusCode(201);
        Await.until(() -> lines.stream().anyMatch(l -> l.contains("notifications/resources/updated") && l.contains(uri)),
                Duration.ofSeconds(10), Duration.ofMillis(20), () -> "notified; stream so far " + lines);
        stream.cancel(true);
    }

    @Test
    void promptsGuideCoordinatedEditingAndPickingWork() {
        McpClient client = McpClient.open(Api.agent().token());
        List<Map<String, Object>> prompts = client.request("prompts/list", Map.of()).getList("result.prompts");
        assertTrue(prompts.stream().anyMatch(p -> "coordinate_edit".equals(p.get("name"))));
        assertTrue(prompts.stream().anyMatch(p -> "pick_work".equals(p.get("name"))));

        JsonPath edit = client.request("prompts/get", Map.of("name", "coordinate_edit",
                "arguments", Map.of("environment", "web", "entity", "job/COD2-5", "files", "src/auth/Login.java")));
        String text = edit.getString("result.messages[0].content.text");
        for (String step : new String[]{"check_files", "declare_intent", "heartbeat", "complete_intent", "job/COD2-5",
                "src/auth/Login.java"}) {
            assertTrue(text.contains(step), step + " in " + text);
        }
        String pick = client.request("prompts/get", Map.of("name", "pick_work", "arguments", Map.of("environment", "web")))
                .getString("result.messages[0].content.text");
        assertTrue(pick.contains("rank_entities") && pick.contains("acquire_lock"), pick);
    }
}
