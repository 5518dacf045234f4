package dev.stigmergy.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * 32 agents hammer 4 entities through HTTP. Each grant is recorded from the client's side: acquiredAt when
 * the 201 arrived, releasedAt just before the release is sent. Those instants lie inside the server-side
 * hold (granted before the answer, released after the request), so if the recorded intervals of one entity
 * never overlap, neither did the holds.
 */
@QuarkusTest
class LockContentionTest {

    private static final int THREADS = 32;
    private static final int ENTITIES = 4;
    private static final int ATTEMPTS = 4000;
    private static final Duration BUDGET = Duration.ofSeconds(45);

    @TestHTTPResource("/")
    URL base;

    private final ObjectMapper json = new ObjectMapper();

    record Grant(String entity, long token, long acquiredAt, long releasedAt, String holder) {
    }

    @Test
    void thirtyTwoAgentsOnFourEntitiesNeverHoldOneEntityTogetherAndTokensStrictlyIncrease() throws Exception {
        String env = Api.environment();
        List<String> entities = new ArrayList<>();
        for (int i = 0; i < ENTITIES; i++) {
            entities.add(Api.job(env));
        }
        List<Api.Agent> agents = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            agents.add(Api.agent());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, AtomicReference<String>> occupant = new ConcurrentHashMap<>();
        entities.forEach(e -> occupant.put(e, new AtomicReference<>()));
        List<Grant> grants = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        long deadline = System.nanoTime() + BUDGET.toNanos();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> done = new ArrayList<>();
        for (Api.Agent agent : agents) {
            done.add(pool.submit(() -> {
                start.await();
                while (attempts.incrementAndGet() <= ATTEMPTS && System.nanoTime() < deadline && failures.isEmpty()) {
                    String key = entities.get(ThreadLocalRandom.current().nextInt(ENTITIES));
                    String path = "entities/job/" + key + "/lock";
                    HttpResponse<String> acquired = send(http, agent, "POST", path, "{\"leaseSeconds\":300}");
                    if (acquired.statusCode() == 409) {
                        conflicts.incrementAndGet();
                        continue;
                    }
                    if (acquired.statusCode() != 201) {
                        failures.add("acquire answered " + acquired.statusCode() + ": " + acquired.body());
                        break;
                    }
                    long acquiredAt = System.nanoTime();
                    long token = json.readTree(acquired.body()).get("fencingToken").asLong();
                    if (!occupant.get(key).compareAndSet(null, agent.id())) {
                        failures.add("two holders of " + key + ": " + agent.id() + " and " + occupant.get(key).get());
                    }
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        // the holder acquiring again renews: same token
                        JsonNode renewed = json.readTree(send(http, agent, "POST", path, "{\"leaseSeconds\":300}").body());
                        if (renewed.get("fencingToken").asLong() != token) {
                            failures.add("re-acquire changed the token of " + key);
                        }
                    }
                    occupant.get(key).compareAndSet(agent.id(), null);
                    long releasedAt = System.nanoTime();
                    HttpResponse<String> released = send(http, agent, "DELETE", path, null);
                    if (released.statusCode() != 200) {
                        failures.add("release answered " + released.statusCode() + ": " + released.body());
                    }
                    grants.add(new Grant(key, token, acquiredAt, releasedAt, agent.id()));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(BUDGET.toSeconds() + 60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertEquals(List.of(), failures);
        int tried = Math.min(attempts.get(), ATTEMPTS);
        assertTrue(tried >= 1000, "only " + tried + " attempts within the budget");
        assertTrue(grants.size() > ENTITIES && conflicts.get() > 0,
                grants.size() + " grants, " + conflicts.get() + " conflicts");
        Set<Long> tokens = new HashSet<>();
        for (Grant g : grants) {
            assertTrue(tokens.add(g.token()), "token " + g.token() + " granted twice");
        }
        for (String key : entities) {
            List<Grant> ofEntity = grants.stream().filter(g -> g.entity().equals(key))
                    .sorted(Comparator.comparingLong(Grant::acquiredAt)).toList();
            for (int i = 1; i < ofEntity.size(); i++) {
                Grant before = ofEntity.get(i - 1);
                Grant after = ofEntity.get(i);
                assertTrue(before.releasedAt() < after.acquiredAt(), "two holders of " + key + " at once: " + before + " and " + after);
                assertTrue(before.token() < after.token(), "tokens of " + key + " not increasing: " + before + " then " + after);
            }
        }
        System.out.printf("lock contention: %d attempts, %d grants, %d conflicts%n", tried, grants.size(), conflicts.get());
    }

    private HttpResponse<String> send(HttpClient http, Api.Agent agent, String method, String path, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString()).resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + agent.token())
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
