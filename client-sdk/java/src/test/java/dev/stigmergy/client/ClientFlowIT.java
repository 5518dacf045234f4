package dev.stigmergy.client;

import dev.stigmergy.client.model.AcquireLock;
import dev.stigmergy.client.model.AgentRegistration;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.DeclareIntent;
import dev.stigmergy.client.model.DeclaredFile;
import dev.stigmergy.client.model.Deposit;
import dev.stigmergy.client.model.EntityPheromones;
import dev.stigmergy.client.model.EventView;
import dev.stigmergy.client.model.IntentDecision;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.LockGrant;
import dev.stigmergy.client.model.LockView;
import dev.stigmergy.client.model.PheromoneView;
import dev.stigmergy.client.model.PutEntity;
import dev.stigmergy.client.model.RegisterAgent;
import dev.stigmergy.client.model.RequestUnlock;
import dev.stigmergy.client.model.UnlockRequestView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java SDK against the packaged service: one agent's day, as the generated API and the hand-written layer see it. */
class ClientFlowIT {

    private static LiveService service;

    @BeforeAll
    static void startService() throws IOException {
        service = LiveService.start();
    }

    @AfterAll
    static void stopService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void agentsCoordinateThroughTheSdkAndTheStreamShowsIt() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StigmergyClient admin = service.admin();
        AgentRegistration worker = admin.agents().registerAgent(
                new RegisterAgent().id("sdk-worker-" + run).displayName("SDK worker").roles(List.of("worker")));
        AgentRegistration other = admin.agents().registerAgent(
                new RegisterAgent().id("sdk-other-" + run).displayName("SDK other").roles(List.of("worker")));
        assertNotNull(worker.getToken(), "the token is shown at registration");
        StigmergyClient alice = service.client(worker.getToken());
        StigmergyClient bob = service.client(other.getToken());
        assertEquals("sdk-worker-" + run, alice.agents().getCurrentAgent().getAgent().getId());

        String env = "sdk-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).description("SDK test"));
        String job = "J-" + run;
        alice.entities().putEntity("job", job, new PutEntity().environment(env).title("SDK flow"));

        try (EventStream stream = alice.stream(List.of("pheromone.*", "lock.*", "unlock-request.*", "intent.*"), env, null)) {
            PheromoneView deposited = alice.pheromones().depositPheromone("job", job,
                    new Deposit().type("workingonit").intensity(2.0));
            EntityPheromones sensed = bob.pheromones().senseEntity("job", job);
            assertTrue(sensed.getPheromones().stream().anyMatch(p -> deposited.getId().equals(p.getId())
                    && "workingonit".equals(p.getType())), "bob senses alice's pheromone: " + sensed);

            LockGrant grant = alice.locks().acquireLock("job", job, new AcquireLock().leaseSeconds(300).reason("working"));
            assertEquals("sdk-worker-" + run, grant.getHolder());
            UnlockRequestView request = bob.unlockRequests().requestUnlock("job", job,
                    new RequestUnlock().reason("I need it for a hotfix"));
            assertEquals("PENDING", request.getStatus().getValue());
            LockView lock = alice.locks().getLock("job", job);
            assertTrue(lock.getUnlockRequests().stream().anyMatch(r -> request.getId().equals(r.getId())
                    && ("sdk-other-" + run).equals(r.getRequester())), "the request is pending on the lock: " + lock);

            IntentDecision decision = alice.intents().declareIntent(env, new DeclareIntent()
                    .entity("job/" + job).description("fix the parser").leaseSeconds(300)
                    .files(List.of(new DeclaredFile().path("src/parser.c").level(3)
                            .lineRanges(List.of(new LineRange().start(10).end(20))))));
            assertNotNull(decision.getIntent(), "the intent is granted: " + decision);

            List<String> seen = new ArrayList<>();
            Set<String> expected = Set.of("pheromone.deposited", "lock.acquired", "unlock-request.created", "intent.declared");
            Instant deadline = Instant.now().plusSeconds(30);
            while (!seen.containsAll(expected) && Instant.now().isBefore(deadline)) {
                EventView event = stream.poll(Duration.ofSeconds(1));
                if (event != null) {
                    assertEquals(env, event.getEnvironment());
                    seen.add(event.getType());
                }
            }
            assertEquals(List.copyOf(expected).stream().sorted().collect(Collectors.toList()),
                    seen.stream().filter(expected::contains).distinct().sorted().collect(Collectors.toList()),
                    "events seen on the stream: " + seen);
            assertEquals(List.of("pheromone.deposited", "lock.acquired", "unlock-request.created", "intent.declared"),
                    seen.stream().filter(expected::contains).collect(Collectors.toList()), "in the order they happened");
            assertNotNull(stream.lastEventId());
        }
    }

    @Test
    void streamResumesAfterALastEventIdFromTheLog() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StigmergyClient admin = service.admin();
        String env = "sdk-resume-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env));
        admin.entities().putEntity("job", "A-" + run, new PutEntity().environment(env).title("first"));
        List<EventView> logged = admin.events().listEvents(null, null, null, env, null, "entity.created").getEvents();
        long firstId = logged.get(logged.size() - 1).getId();
        admin.entities().putEntity("job", "B-" + run, new PutEntity().environment(env).title("second"));
        admin.entities().putEntity("job", "C-" + run, new PutEntity().environment(env).title("third"));

        try (EventStream stream = admin.stream(List.of("entity.*"), env, firstId)) {
            EventView second = stream.poll(Duration.ofSeconds(30));
            EventView third = stream.poll(Duration.ofSeconds(30));
            assertNotNull(second, "replayed from the log");
            assertNotNull(third, "replayed from the log");
            assertEquals(List.of("job/B-" + run, "job/C-" + run), List.of(second.getEntity(), third.getEntity()),
                    "what followed the last event id, and only that");
            assertEquals(third.getId(), stream.lastEventId());
        }
    }

    @Test
    void closingTheStreamEndsIt() throws Exception {
        EventStream stream = service.admin().stream(List.of(), null, null);
        stream.close();
        EventStream.StreamEndedException ended = assertThrows(EventStream.StreamEndedException.class,
                () -> stream.poll(Duration.ofSeconds(30)));
        assertTrue(ended.getMessage().contains("closed by the client"), ended.getMessage());
    }

    @Test
    void refusedCallsAndStreamsCarryTheProblem() {
        StigmergyClient stranger = service.client("not-a-token");
        ApiException call = assertThrows(ApiException.class, () -> stranger.agents().getCurrentAgent());
        assertEquals(401, call.getCode());
        ApiException stream = assertThrows(ApiException.class, () -> stranger.stream(List.of(), null, null));
        assertEquals(401, stream.getCode());
        assertFalse(stream.getResponseBody().isEmpty(), "the problem body is kept");
    }
}
