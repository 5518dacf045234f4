package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.client.LiveService;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.model.AcquireLock;
import dev.stigmergy.client.model.AddDependency;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.Deposit;
import dev.stigmergy.client.model.PutEntity;
import dev.stigmergy.client.model.RegisterAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code stig ready} run as a process: the ready query's page as a table and as JSON, paging, and its exit codes. */
class ReadyIT {

    @Test
    void listsWhatTheCallerCouldTakeBestFirstAndLeavesOutLockedAndWaitingJobs() throws Exception {
        LiveService service = LiveService.shared();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path home = Files.createDirectories(Path.of("target", "ready-it", run).toAbsolutePath());
        StigmergyClient admin = service.admin();
        String env = "ready-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).repository(home.toString()));
        String alice = admin.agents().registerAgent(new RegisterAgent().id("ready-alice-" + run).displayName("Alice")
                .roles(List.of("worker"))).getToken();
        String bob = admin.agents().registerAgent(new RegisterAgent().id("ready-bob-" + run).displayName("Bob")
                .roles(List.of("worker"))).getToken();
        StigmergyClient asAlice = service.client(alice);
        for (String key : List.of("FREE", "URGENT", "LOCKED", "WAITING")) {
            asAlice.entities().putEntity("job", key + "-" + run, new PutEntity().environment(env).title(key.toLowerCase()));
        }
        admin.pheromones().depositPheromone("job", "URGENT-" + run, new Deposit().type("importance").intensity(3.0));
        service.client(bob).locks().acquireLock("job", "LOCKED-" + run, new AcquireLock().leaseSeconds(300));
        asAlice.dependencies().addDependency("job", "WAITING-" + run, new AddDependency().dependsOn("job/FREE-" + run));

        StigProcess stig = new StigProcess(home).in(home).env("STIGMERGY_URL", service.url.toString())
                .env("STIGMERGY_TOKEN", alice).env("STIGMERGY_ENVIRONMENT", env);
        StigProcess.Result table = stig.run("ready", "--kind", "job");
        assertEquals(0, table.exit(), table::toString);
        String out = table.out();
        assertTrue(out.contains("READY") && out.contains("IMPORTANCE"), out);
        assertTrue(out.indexOf("job/URGENT-" + run) < out.indexOf("job/FREE-" + run), "best first:\n" + out);
        assertFalse(out.contains("LOCKED-" + run) || out.contains("WAITING-" + run), out);

        JsonNode page = stig.run("ready", "--json").json();
        List<String> entities = new ArrayList<>();
        page.path("items").forEach(i -> entities.add(i.path("entity").asText()));
        assertEquals(List.of("job/URGENT-" + run, "job/FREE-" + run), entities);
        assertEquals(3.0, page.path("items").get(0).path("importance").asDouble(), 1e-9);
        assertFalse(page.path("items").get(0).path("reason").asText().isBlank(), page::toString);

        JsonNode first = stig.run("ready", "--limit", "1", "--json").json();
        JsonNode second = stig.run("ready", "--limit", "1", "--after", first.path("nextAfter").asText(), "--json").json();
        assertEquals("job/FREE-" + run, second.path("items").get(0).path("entity").asText(), second::toString);

        StigProcess.Result unknown = stig.run("ready", "-e", "no-such-environment-" + run);
        assertEquals(4, unknown.exit(), unknown::toString);
        StigProcess.Result badLimit = stig.run("ready", "--limit", "0");
        assertEquals(2, badLimit.exit(), badLimit::toString);
    }
}
