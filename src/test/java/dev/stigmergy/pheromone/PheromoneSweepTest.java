package dev.stigmergy.pheromone;

import dev.stigmergy.support.Api;
import dev.stigmergy.time.MutableClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PheromoneSweepTest {

    @Inject
    MutableClock clock;

    @Inject
    PheromoneSweep sweep;

    @Inject
    EntityManager em;

    @Inject
    ServiceSignals pheromones;

    @Test
    void sweepRemovesEvaporatedRowsAndLeavesLiveRowsUntouched() {
        String job = Api.job(Api.environment());
        long shortLived = Fixtures.deposit(Api.agent(), job, Fixtures.expiryType(10), 1.0);
        long longLived = Fixtures.deposit(Api.agent(), job, Fixtures.expiryType(3600), 1.0);
        Object[] before = row(longLived);
        clock.advance(Duration.ofSeconds(11));
        sweep.sweep();
        assertFalse(exists(shortLived));
        assertTrue(exists(longLived));
        assertArrayEquals(before, row(longLived));
        assertEquals(1L, ((Number) em.createNativeQuery("""
                        select count(*) from event where type = 'pheromone.evaporated'
                           and data -> 'pheromones' @> to_jsonb(cast(:id as bigint))""")
                .setParameter("id", shortLived).getSingleResult()).longValue());
    }

    @Test
    void sweepWithNothingEvaporatedChangesNoRow() {
        String job = Api.job(Api.environment());
        long id = Fixtures.deposit(Api.agent(), job, Fixtures.expiryType(3600), 1.0);
        sweep.sweep();
        Object[] before = row(id);
        assertEquals(0, sweep.sweep());
        assertArrayEquals(before, row(id));
    }

    @Test
    void serviceKeepsAndRetractsFilesBlockedIdempotently() {
        String job = Api.job(Api.environment());
        pheromones.keepServiceSignal("job", job, "files_blocked", "intent:1", Map.of("files", List.of("src/a.java")));
        pheromones.keepServiceSignal("job", job, "files_blocked", "intent:1", Map.of("files", List.of("src/b.java")));
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().statusCode(200)
                .body("pheromones", hasSize(1))
                .body("pheromones[0].payload.files[0]", org.hamcrest.Matchers.equalTo("src/b.java"))
                .body("pheromones[0].visibleUntil", org.hamcrest.Matchers.nullValue());
        clock.advance(Duration.ofDays(400));
        sweep.sweep();
        long id = ((Number) Api.asAdmin().get("/entities/job/" + job + "/pheromones").then()
                .body("pheromones", hasSize(1)).extract().path("pheromones[0].id")).longValue();
        Api.asAdmin().delete("/pheromones/" + id).then().statusCode(403);
        assertTrue(pheromones.retractServiceSignal("job", job, "files_blocked", "intent:1"));
        assertFalse(pheromones.retractServiceSignal("job", job, "files_blocked", "intent:1"));
        Api.asAdmin().get("/entities/job/" + job + "/pheromones").then().body("pheromones", hasSize(0));
    }

    private boolean exists(long id) {
        return !em.createNativeQuery("select 1 from pheromone where id = :id").setParameter("id", id)
                .getResultList().isEmpty();
    }

    private Object[] row(long id) {
        return ((Object[]) em.createNativeQuery("select xmin::text, intensity, deposited_at, visible_until from pheromone where id = :id")
                .setParameter("id", id).getSingleResult());
    }
}
