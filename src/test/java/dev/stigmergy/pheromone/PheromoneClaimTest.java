package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PheromoneClaimTest {

    @Inject
    MutableClock clock;

    @Test
    void repeatDepositTakesTheNewPayloadAndStartsAfreshAfterEvaporation() {
        String type = Fixtures.expiryType(60);
        String path = "/entities/job/" + Api.job(Api.environment()) + "/pheromones";
        Api.Agent depositor = Api.agent();
        Api.Agent claimer = Api.agent("worker");
        long id = ((Number) depositor.call().body(Map.of("type", type, "payload", Map.of("v", 1))).post(path)
                .then().statusCode(201).extract().path("id")).longValue();
        claimer.call().body(Map.of("leaseSeconds", 300)).post("/pheromones/" + id + "/claim").then().statusCode(200);
        // a repeat while visible keeps the claim and takes the new payload
        depositor.call().body(Map.of("type", type, "payload", Map.of("v", 2))).post(path).then().statusCode(200)
                .body("payload.v", equalTo(2)).body("claim.holder", equalTo(claimer.id()));
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(200)
                .body("payload.v", equalTo(2)).body("claim.holder", equalTo(claimer.id()));
        // expired, not swept, its claim's lease still running: a repeat starts a new signal without the claim
        clock.advance(Duration.ofSeconds(61));
        depositor.call().body(Map.of("type", type)).post(path).then().statusCode(200).body("claim", nullValue());
        Api.asAdmin().get("/pheromones/" + id).then().statusCode(200)
                .body("claim", nullValue()).body("payload.v", equalTo(2)).body("intensity", equalTo(1.0f));
    }

    @Test
    void sixteenConcurrentClaimersGetExactlyOneWinner() throws Exception {
        long id = Fixtures.deposit(Api.agent(), Api.job(Api.environment()), Fixtures.expiryType(600), 1.0);
        List<Api.Agent> claimers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            claimers.add(Api.agent("worker"));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (Api.Agent claimer : claimers) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return claimer.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim");
                }));
            }
            start.countDown();
            List<Response> won = new ArrayList<>();
            List<Response> lost = new ArrayList<>();
            for (Future<Response> f : answers) {
                Response r = f.get();
                (r.statusCode() == 200 ? won : lost).add(r);
            }
            assertEquals(1, won.size());
            assertEquals(15, lost.size());
            String holder = won.get(0).path("holder");
            for (Response r : lost) {
                assertEquals(409, r.statusCode());
                assertEquals(holder, r.path("hold.holder"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claimLapsesAtLeaseEndUnlessTheHeartbeatRenewsIt() {
        long id = Fixtures.deposit(Api.agent(), Api.job(Api.environment()), Fixtures.expiryType(3600), 1.0);
        Api.Agent holder = Api.agent("worker");
        Api.Agent other = Api.agent("worker");
        long token = ((Number) holder.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim")
                .then().statusCode(200).body("holder", equalTo(holder.id())).extract().path("fencingToken")).longValue();
        clock.advance(Duration.ofSeconds(20));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        holder.call().post("/agents/me/heartbeat").then().statusCode(200)
                .body("renewed", hasSize(1))
                .body("renewed[0].kind", equalTo("claim"))
                .body("renewed[0].id", equalTo(String.valueOf(id)))
                .body("renewed[0].fencingToken", equalTo((int) token))
                .body("renewed[0].expiresAt", equalTo(now.plusSeconds(30).toString()));
        clock.advance(Duration.ofSeconds(20));
        other.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim").then().statusCode(409)
                .body("type", equalTo("/problems/claim-held")).body("hold.holder", equalTo(holder.id()))
                .body("hold.fencingToken", equalTo((int) token));
        clock.advance(Duration.ofSeconds(11));
        long next = ((Number) other.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim")
                .then().statusCode(200).body("holder", equalTo(other.id())).extract().path("fencingToken")).longValue();
        assertTrue(next > token);
    }

    @Test
    void holderRenewsWithTheSameTokenAndOnlyTheHolderReleases() {
        long id = Fixtures.deposit(Api.agent(), Api.job(Api.environment()), Fixtures.expiryType(3600), 1.0);
        Api.Agent holder = Api.agent("worker");
        Api.Agent other = Api.agent("worker");
        int token = holder.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim")
                .then().statusCode(200).extract().path("fencingToken");
        clock.advance(Duration.ofSeconds(10));
        holder.call().body(Map.of("leaseSeconds", 60)).post("/pheromones/" + id + "/claim")
                .then().statusCode(200).body("fencingToken", equalTo(token)).body("leaseSeconds", equalTo(60));
        other.call().delete("/pheromones/" + id + "/claim").then().statusCode(409);
        holder.call().delete("/pheromones/" + id + "/claim").then().statusCode(204);
        other.call().body(Map.of("leaseSeconds", 30)).post("/pheromones/" + id + "/claim").then().statusCode(200);
        for (String type : List.of("pheromone.claimed", "pheromone.claim-renewed", "pheromone.released")) {
            Api.asAdmin().queryParam("type", type).queryParam("agent", holder.id()).get("/events")
                    .then().body("events", org.hamcrest.Matchers.hasSize(1));
        }
    }

    @Test
    void claimFieldsCannotBeSetByADeposit() {
        String job = Api.job(Api.environment());
        Api.agent().call().body(Map.of("type", Fixtures.expiryType(60), "claimHolder", "me"))
                .post("/entities/job/" + job + "/pheromones").then().statusCode(400)
                .body("type", equalTo("/problems/unknown-field"));
    }
}
