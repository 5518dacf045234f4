package dev.stigmergy.pheromone;

import dev.stigmergy.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decay is computed twice: in Java on a deposit's fold ({@link PheromoneService#fold}, {@link
 * PheromoneService#decayedIntensity}, {@link DecayPolicy.Exponential}) and in SQL on every sense and ranking
 * ({@link PheromoneRepository#CURRENT}, {@link PheromoneRepository#VISIBLE}). Both must answer the same on every
 * decay kind, half-life, floor and elapsed time, including a deposit stamped ahead of now (another replica's clock),
 * none at all, and one so old that 2^-x underflows.
 */
@QuarkusTest
class DecayAgreementTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00.123456Z");

    private static final List<Duration> ELAPSED = List.of(Duration.ofDays(-1), Duration.ofSeconds(-1),
            Duration.ofNanos(-1_000), Duration.ZERO, Duration.ofNanos(1_000), Duration.ofSeconds(1),
            Duration.ofSeconds(59), Duration.ofSeconds(60), Duration.ofMinutes(61), Duration.ofHours(10),
            Duration.ofDays(3), Duration.ofDays(400), Duration.ofDays(36_500));

    private static final double[] INTENSITIES = {0.01, 0.05, 1, 7.5, 1000};

    @Inject
    Sql sql;

    /** One point of the grid: a row as a deposit folds it at {@code NOW - elapsed}, read at {@code NOW}. */
    private record Point(SignalType type, Pheromone row, String label) {
    }

    @Test
    void javaAndSqlAgreeOnIntensityAndVisibility() {
        List<Point> grid = grid();
        List<Object[]> sqlAnswers = sqlAnswers(grid);
        assertEquals(grid.size(), sqlAnswers.size());
        for (int i = 0; i < grid.size(); i++) {
            Point point = grid.get(i);
            double sqlRaw = (Double) sqlAnswers.get(i)[0];
            boolean sqlVisible = (Boolean) sqlAnswers.get(i)[1];
            assertEquals(point.row().visibleAt(NOW), sqlVisible, "visibility of " + point.label());
            if (point.type().reinforcementOnly()) {
                // its strength lives in the verdicts, which only SQL reads; none here
                assertEquals(0.0, sqlRaw, "strength without verdicts of " + point.label());
                continue;
            }
            double javaRaw = raw(point);
            assertClose(javaRaw, sqlRaw, "intensity of " + point.label());
            double sensed = PheromoneService.decayedIntensity(point.row(), point.type(), NOW);
            assertClose(sqlVisible ? sqlRaw : 0, sensed, "sensed intensity of " + point.label());
            // a deposit stamped ahead of now keeps its intensity until then, under its floor or not
            if (point.type().decay() instanceof DecayPolicy.Exponential e && sqlVisible
                    && !point.row().depositedAt.isAfter(NOW)) {
                assertTrue(sensed >= e.floor() * (1 - 1e-9), "visible under its floor: " + point.label());
            }
        }
    }

    private static double raw(Point point) {
        Pheromone p = point.row();
        if (point.type().decay() instanceof DecayPolicy.Exponential) {
            return DecayPolicy.Exponential.intensityAt(p.intensity, p.depositedAt, NOW, p.halfLifeSeconds);
        }
        return p.intensity;
    }

    private static void assertClose(double expected, double actual, String what) {
        // pow2 counts terms below 2^-1022 as 0 where Java keeps a subnormal
        double tolerance = Math.max(1e-300, Math.abs(expected) * 1e-12);
        assertEquals(expected, actual, tolerance, what);
    }

    private static List<Point> grid() {
        List<DecayPolicy> policies = new ArrayList<>();
        for (long halfLife : new long[]{1, 60, 3600, 2_592_000}) {
            for (double floor : new double[]{0.001, 0.05, 1}) {
                policies.add(new DecayPolicy.Exponential(halfLife, floor, null, null));
            }
        }
        policies.add(new DecayPolicy.Expiry(60L));
        policies.add(new DecayPolicy.Expiry(31_536_000L));
        policies.add(new DecayPolicy.ReinforcementOnly(3600L));
        policies.add(new DecayPolicy.Permanent());
        List<Point> grid = new ArrayList<>();
        for (DecayPolicy policy : policies) {
            SignalType type = new SignalType();
            type.name = "grid";
            type.maxIntensity = 1000;
            type.decay(policy);
            for (double intensity : INTENSITIES) {
                for (Duration elapsed : ELAPSED) {
                    Pheromone row = new Pheromone();
                    row.id = -1L - grid.size(); // no verdicts refer to it
                    PheromoneService.fold(row, type, intensity, null, NOW.minus(elapsed));
                    grid.add(new Point(type, row, policy + " I0=" + intensity + " elapsed=" + elapsed));
                }
            }
        }
        return grid;
    }

    // the SQL forms over the grid's rows, in one statement: current intensity (visibility left out) and visibility
    private List<Object[]> sqlAnswers(List<Point> grid) {
        StringJoiner rows = new StringJoiner(",\n");
        for (int i = 0; i < grid.size(); i++) {
            Pheromone p = grid.get(i).row();
            SignalType t = grid.get(i).type();
            rows.add("(" + i + ", cast(" + p.id + " as bigint), cast(" + p.intensity + " as double precision), "
                    + timestamp(p.depositedAt) + ", cast(" + p.halfLifeSeconds + " as bigint), "
                    + timestamp(p.visibleUntil) + ", '" + t.decayKind + "', cast(" + t.maxIntensity
                    + " as double precision), cast(" + t.windowSeconds + " as bigint))");
        }
        String now = "'" + NOW + "'";
        String query = "select " + PheromoneRepository.CURRENT.replace(":now", now) + ", "
                + PheromoneRepository.VISIBLE.replace(":now", now) + """
                 from (values %s) as g(ord, id, intensity, deposited_at, half_life_seconds, visible_until,
                                       decay_kind, max_intensity, window_seconds)
                 cross join lateral (select g.id, g.intensity, g.deposited_at, g.half_life_seconds,
                                            g.visible_until) as p
                 cross join lateral (select g.decay_kind, g.max_intensity, g.window_seconds) as t
                 order by g.ord""".formatted(rows);
        return sql.rows(query, row -> new Object[]{row.getDouble(1), row.getBoolean(2)});
    }

    private static String timestamp(Instant instant) {
        return instant == null ? "cast(null as timestamptz)" : "cast('" + instant + "' as timestamptz)";
    }
}
