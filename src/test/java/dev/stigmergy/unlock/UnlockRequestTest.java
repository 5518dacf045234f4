package dev.stigmergy.unlock;

import dev.stigmergy.support.Api;
import dev.stigmergy.support.Await;
import dev.stigmergy.time.MutableClock;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class UnlockRequestTest {

    @Inject
    MutableClock clock;

    @Inject
    UnlockRequestService requests;

    @Inject
    AgroalDataSource dataSource;

    @TestHTTPResource("/")
    URL base;

    /** A job locked by a fresh agent. */
    private record Locked(String key, String path, Api.Agent holder, int token) {
        String entity() {
            return "job/" + key;
        }
    }

    private static Locked locked(int leaseSeconds) {
        String key = Api.job(Api.environment());
        String path = "/entities/job/" + key + "/lock";
        Api.Agent holder = Api.agent();
        int token = holder.call().body(Map.of("leaseSeconds", leaseSeconds)).post(path).then().statusCode(201)
                .extract().path("fencingToken");
        return new Locked(key, path, holder, token);
    }

    private static ValidatableResponse request(Api.Agent requester, Locked lock, boolean handover, Integer ttlSeconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("reason", "I need to rebase job " + lock.key());
        body.put("handover", handover);
        if (ttlSeconds != null) {
            body.put("ttlSeconds", ttlSeconds);
        }
        return requester.call().body(body).post(lock.path() + "/unlock-requests").then();
    }

    private static int id(ValidatableResponse created) {
        return created.extract().path("id");
    }

    private static List<Map<String, Object>> events(String entity, String type) {
        return Api.asAdmin().queryParam("entity", entity).queryParam("type", type).get("/events")
                .then().statusCode(200).extract().path("events");
    }

    @Test
    void requestIsPendingAndShownOnTheLock() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int id = id(request(requester, lock, false, null).statusCode(201)
                .body("status", equalTo("PENDING"))
                .body("holdKind", equalTo("lock"))
                .body("holdId", equalTo(String.valueOf(lock.token())))
                .body("entity", equalTo(lock.entity()))
                .body("holder", equalTo(lock.holder().id()))
                .body("requester", equalTo(requester.id()))
                .body("expiresAt", equalTo(now.plusSeconds(900).toString())));
        lock.holder().call().get(lock.path()).then().statusCode(200)
                .body("unlockRequests", hasSize(1))
                .body("unlockRequests[0].id", equalTo(id))
                .body("unlockRequests[0].requester", equalTo(requester.id()));
        Api.agent("reviewer").call().queryParam("holder", lock.holder().id()).get("/unlock-requests").then()
                .statusCode(200).body("id", equalTo(List.of(id)));
        assertEquals(1, events(lock.entity(), "unlock-request.created").size());
    }

    @Test
    void repeatRequestBySameRequesterReturnsThePendingOne() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, false, null).statusCode(201));
        request(requester, lock, true, 30).statusCode(200).body("id", equalTo(id)).body("handover", equalTo(false));
        assertEquals(1, events(lock.entity(), "unlock-request.created").size());
    }

    @Test
    void approveWithHandoverGivesRequesterTheLockWithNewTokenInOneStep() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, true, null).statusCode(201));
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        int granted = lock.holder().call().body(Map.of("note", "all yours")).post("/unlock-requests/" + id + "/approve")
                .then().statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("decidedBy", equalTo(lock.holder().id()))
                .body("note", equalTo("all yours"))
                .body("grantedFencingToken", notNullValue())
                .extract().path("grantedFencingToken");
        assertTrue(granted > lock.token());
        requester.call().get(lock.path()).then().statusCode(200)
                .body("holder", equalTo(requester.id()))
                .body("fencingToken", equalTo(granted))
                .body("acquiredAt", equalTo(now.toString()))
                .body("expiresAt", equalTo(now.plusSeconds(60).toString()));
        Api.asAdmin().body(Map.of("entity", lock.entity(), "fencingToken", lock.token())).post("/fencing/check").then()
                .body("current", equalTo(false));
        // the old holder lost it; the new holder may release it
        lock.holder().call().delete(lock.path()).then().statusCode(403);
        assertEquals(1, events(lock.entity(), "lock.handed-over").size());
        assertEquals(1, events(lock.entity(), "unlock-request.approved").size());
        assertEquals(0, events(lock.entity(), "lock.released").size());
        requester.call().delete(lock.path()).then().statusCode(200);
    }

    @Test
    void approveWithoutHandoverReleasesAndMakesOtherPendingRequestsObsolete() {
        Locked lock = locked(60);
        Api.Agent first = Api.agent();
        Api.Agent second = Api.agent();
        Api.Agent third = Api.agent();
        int approved = id(request(first, lock, false, null).statusCode(201));
        int other = id(request(second, lock, true, null).statusCode(201));
        int withdrawn = id(request(third, lock, false, null).statusCode(201));
        third.call().post("/unlock-requests/" + withdrawn + "/withdraw").then().statusCode(200)
                .body("status", equalTo("WITHDRAWN"));
        lock.holder().call().post("/unlock-requests/" + approved + "/approve").then().statusCode(200)
                .body("status", equalTo("APPROVED")).body("grantedFencingToken", nullValue());
        Api.asAdmin().get(lock.path()).then().statusCode(404);
        Api.asAdmin().get("/unlock-requests/" + other).then().body("status", equalTo("OBSOLETE"));
        Api.asAdmin().get("/unlock-requests/" + withdrawn).then().body("status", equalTo("WITHDRAWN"));
        assertEquals(1, events(lock.entity(), "unlock-request.obsolete").size());
        assertEquals(1, events(lock.entity(), "lock.released").size());
        lock.holder().call().post("/unlock-requests/" + other + "/approve").then().statusCode(409)
                .body("status", equalTo("OBSOLETE"));
    }

    @Test
    void everyEndOfTheLockMakesPendingRequestsObsolete() {
        // release
        Locked released = locked(60);
        int a = id(request(Api.agent(), released, false, null).statusCode(201));
        released.holder().call().delete(released.path()).then().statusCode(200);
        Api.asAdmin().get("/unlock-requests/" + a).then().body("status", equalTo("OBSOLETE"));
        // force release
        Locked forced = locked(60);
        int b = id(request(Api.agent(), forced, false, null).statusCode(201));
        Api.asAdmin().body(Map.of("reason", "stuck")).post(forced.path() + "/force-release").then().statusCode(200);
        Api.asAdmin().get("/unlock-requests/" + b).then().body("status", equalTo("OBSOLETE"));
        // handover to someone else
        Locked handed = locked(60);
        Api.Agent winner = Api.agent();
        int c = id(request(Api.agent(), handed, false, null).statusCode(201));
        int d = id(request(winner, handed, true, null).statusCode(201));
        handed.holder().call().post("/unlock-requests/" + d + "/approve").then().statusCode(200);
        Api.asAdmin().get("/unlock-requests/" + c).then().body("status", equalTo("OBSOLETE"));
        // lease expiry, recorded when another agent takes the lapsed lock
        Locked expired = locked(30);
        int e = id(request(Api.agent(), expired, false, 600).statusCode(201));
        clock.advance(Duration.ofSeconds(31));
        Api.agent().call().body(Map.of("leaseSeconds", 30)).post(expired.path()).then().statusCode(201);
        Api.asAdmin().get("/unlock-requests/" + e).then().body("status", equalTo("OBSOLETE"));
        assertEquals(1, events(expired.entity(), "unlock-request.obsolete").size());
    }

    @Test
    void requestsExpire() {
        Locked lock = locked(3600);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, true, 60).statusCode(201));
        clock.advance(Duration.ofSeconds(60));
        Api.asAdmin().get("/unlock-requests/" + id).then().body("status", equalTo("EXPIRED"));
        lock.holder().call().get(lock.path()).then().body("unlockRequests", hasSize(0));
        lock.holder().call().post("/unlock-requests/" + id + "/approve").then().statusCode(409)
                .body("type", equalTo("/problems/unlock-request-not-pending"))
                .body("status", equalTo("EXPIRED"));
        lock.holder().call().get(lock.path()).then().statusCode(200).body("holder", equalTo(lock.holder().id()));
        requests.sweep();
        assertEquals(1, events(lock.entity(), "unlock-request.expired").size());
        // a new request after expiry is a new one
        int again = id(request(requester, lock, true, 60).statusCode(201));
        assertTrue(again != id);
    }

    @Test
    void repeatAfterExpiryRecordsTheExpiryAndCreatesANewRequest() {
        Locked lock = locked(3600);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, false, 10).statusCode(201));
        clock.advance(Duration.ofSeconds(11));
        int again = id(request(requester, lock, false, 10).statusCode(201));
        assertTrue(again != id);
        Api.asAdmin().get("/unlock-requests/" + id).then().body("status", equalTo("EXPIRED"));
    }

    @Test
    void onlyTheHolderDecidesAndRejectKeepsTheLock() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, true, null).statusCode(201));
        requester.call().post("/unlock-requests/" + id + "/approve").then().statusCode(403)
                .body("type", equalTo("/problems/not-holder"));
        Api.agent().call().post("/unlock-requests/" + id + "/reject").then().statusCode(403);
        Api.asAdmin().get(lock.path()).then().body("holder", equalTo(lock.holder().id()));
        lock.holder().call().body(Map.of("note", "almost done")).post("/unlock-requests/" + id + "/reject").then()
                .statusCode(200).body("status", equalTo("REJECTED")).body("note", equalTo("almost done"));
        lock.holder().call().post("/unlock-requests/" + id + "/approve").then().statusCode(409)
                .body("status", equalTo("REJECTED"));
        Api.asAdmin().get(lock.path()).then().body("holder", equalTo(lock.holder().id()))
                .body("fencingToken", equalTo(lock.token()));
        assertEquals(1, events(lock.entity(), "unlock-request.rejected").size());
    }

    @Test
    void onlyTheRequesterWithdraws() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, false, null).statusCode(201));
        lock.holder().call().post("/unlock-requests/" + id + "/withdraw").then().statusCode(403);
        requester.call().post("/unlock-requests/" + id + "/withdraw").then().statusCode(200)
                .body("status", equalTo("WITHDRAWN")).body("decidedBy", equalTo(requester.id()));
        requester.call().post("/unlock-requests/" + id + "/withdraw").then().statusCode(409);
        assertEquals(1, events(lock.entity(), "unlock-request.withdrawn").size());
    }

    @Test
    void badRequestsAre4xxAndCreateNothing() {
        Locked lock = locked(60);
        Api.Agent requester = Api.agent();
        String path = lock.path() + "/unlock-requests";
        requester.call().body(Map.of("handover", true)).post(path).then().statusCode(400)
                .body("violations.field", equalTo(List.of("reason")));
        requester.call().body(Map.of("reason", "")).post(path).then().statusCode(400);
        request(requester, lock, false, 0).statusCode(400);
        request(requester, lock, false, 86401).statusCode(400);
        request(lock.holder(), lock, false, null).statusCode(400);
        requester.call().body(Map.of("reason", "x", "requester", "me")).post(path).then().statusCode(400);
        requester.call().body(Map.of("reason", "x")).post("/entities/job/" + Api.fresh("NOPE") + "/lock/unlock-requests")
                .then().statusCode(404);
        String free = Api.job(Api.environment());
        requester.call().body(Map.of("reason", "x")).post("/entities/job/" + free + "/lock/unlock-requests")
                .then().statusCode(404).body("type", equalTo("/problems/not-locked"));
        Api.agent("reviewer").call().body(Map.of("reason", "x")).post(path).then().statusCode(403);
        Api.asAdmin().get(path).then().statusCode(200).body("$", hasSize(0));
        assertEquals(0, events(lock.entity(), "unlock-request.created").size());
        Api.asAdmin().get("/unlock-requests/999999999").then().statusCode(404);
    }

    @Test
    void listsFilterByStatusReadAsOfNow() {
        Locked lock = locked(3600);
        Api.Agent requester = Api.agent();
        int lapsing = id(request(requester, lock, false, 10).statusCode(201));
        int pending = id(request(Api.agent(), lock, false, 600).statusCode(201));
        clock.advance(Duration.ofSeconds(10));
        Api.asAdmin().queryParam("entity", lock.entity()).queryParam("status", "PENDING").get("/unlock-requests").then()
                .statusCode(200).body("id", equalTo(List.of(pending)));
        Api.asAdmin().queryParam("status", "EXPIRED").get(lock.path() + "/unlock-requests").then()
                .statusCode(200).body("id", equalTo(List.of(lapsing)));
        Api.asAdmin().queryParam("requester", requester.id()).get("/unlock-requests").then()
                .body("id", equalTo(List.of(lapsing))).body("[0].status", equalTo("EXPIRED"));
        Api.asAdmin().queryParam("status", "SLEEPING").get("/unlock-requests").then().statusCode(400)
                .body("type", equalTo("/problems/invalid-input"));
    }

    @Test
    void handoverLeavesNoGapForAThirdAgentRacingToAcquire() throws Exception {
        Locked lock = locked(300);
        Api.Agent requester = Api.agent();
        int id = id(request(requester, lock, true, null).statusCode(201));
        List<Api.Agent> racers = List.of(Api.agent(), Api.agent(), Api.agent(), Api.agent());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean stop = new AtomicBoolean();
        List<String> wins = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger tries = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(racers.size());
        List<Future<?>> running = new ArrayList<>();
        for (Api.Agent racer : racers) {
            running.add(pool.submit(() -> {
                while (!stop.get()) {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.toURI().resolve(lock.path().substring(1)))
                            .header("Authorization", "Bearer " + racer.token())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"leaseSeconds\":30}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    tries.incrementAndGet();
                    if (answer.statusCode() != 409) {
                        wins.add(racer.id() + " got " + answer.statusCode());
                    }
                }
                return null;
            }));
        }
        while (tries.get() < 20) {
            Thread.onSpinWait();
        }
        lock.holder().call().post("/unlock-requests/" + id + "/approve").then().statusCode(200);
        int after = tries.get();
        while (tries.get() < after + 20) {
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Future<?> f : running) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(List.of(), wins);
        Api.asAdmin().get(lock.path()).then().body("holder", equalTo(requester.id()));
    }

    @Test
    void aRequestCommittedWhileTheReleaseWaitsForTheLockRowIsConcluded() throws Exception {
        Locked lock = locked(300);
        Api.Agent requester = Api.agent();
        ExecutorService calls = Executors.newFixedThreadPool(2);
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            // an uncommitted pending row for the same requester and hold: the service's insert of the request waits
            // on the one-pending index, while its transaction holds the lock row, marked
            try (PreparedStatement pending = blocker.prepareStatement("""
                    insert into unlock_request (hold_kind, hold_id, entity, environment, holder, requester, reason,
                                                handover, status, created_at, expires_at)
                    select 'lock', ?, entity, environment, holder, ?, 'placeholder', false, 'PENDING', now(),
                           now() + interval '1 hour'
                      from entity_lock where fencing_token = ?""")) {
                pending.setString(1, String.valueOf(lock.token()));
                pending.setString(2, requester.id());
                pending.setLong(3, lock.token());
                assertEquals(1, pending.executeUpdate());
            }
            Future<ValidatableResponse> requested = calls.submit(() -> request(requester, lock, false, null));
            awaitLockWaits(1);
            Future<ValidatableResponse> released = calls.submit(() -> lock.holder().call().delete(lock.path()).then());
            awaitLockWaits(2);
            blocker.rollback(); // the request commits while the release still waits for the lock row
            int id = id(requested.get(30, TimeUnit.SECONDS).statusCode(201));
            released.get(30, TimeUnit.SECONDS).statusCode(200);
            Api.asAdmin().get("/unlock-requests/" + id).then().body("status", equalTo("OBSOLETE"));
            assertEquals(1, events(lock.entity(), "unlock-request.obsolete").size());
        } finally {
            calls.shutdownNow();
        }
    }

    /** Waits until {@code count} backends of this database wait for a lock. */
    private void awaitLockWaits(int count) {
        Await.until(() -> {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                 ResultSet r = s.executeQuery("""
                         select count(*) from pg_stat_activity
                          where datname = current_database() and wait_event_type = 'Lock'""")) {
                r.next();
                return r.getInt(1) >= count;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, Duration.ofSeconds(30), Duration.ofMillis(10), count + " backends waiting for a lock");
    }
}
