package dev.stigmergy.pheromone;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Entities ranked by aggregated current intensity without reading every deposit of a type (issue 3, P3).
 * {@code pheromone_aggregate} (V1__baseline.sql) holds, per (entity, type), a time-invariant key whose bound at {@code now}
 * is at least the pair's exact total; an index orders pairs by it. The ranking reads candidates in bound order,
 * computes their exact totals with {@link PheromoneRepository#CURRENT} ({@link PheromoneRepository#rankingCandidates}), and stops once no unread bound can reach
 * the K-th exact total (the threshold algorithm), so the answer is exactly that of summing every visible
 * deposit: floors, half-life overrides, expired-but-unswept rows and rejections or verdicts that left the window
 * of a reinforcement-only type (bounded by its approvals, V94) only loosen the bounds and make it read more
 * candidates.
 */
@ApplicationScoped
class PheromoneRanking {

    /** 2026-01-01T00:00:00Z, the origin of EXPONENTIAL keys (pheromone_bound_term). */
    static final long KEY_ORIGIN_EPOCH_SECONDS = 1_767_225_600L;

    /**
     * Relative slack on bounds: keys and totals are doubles computed in different orders, so a bound may come
     * out a few ulps under the total it bounds; 1e-6 is far above that and costs at most a few more candidates.
     */
    private static final double SLACK = 1e-6;

    private static final int FIRST_BATCH_MIN = 16;

    private final PheromoneRepository repository;
    private final SignalTypeRepository types;

    PheromoneRanking(PheromoneRepository repository, SignalTypeRepository types) {
        this.repository = repository;
        this.types = types;
    }

    /**
     * Aggregates per (entity, type) at {@code now}, strongest first; ties by entity kind, key, type.
     *
     * @param types        exact type names, non-empty
     * @param environment  or {@code null}
     * @param kinds        entity kinds, empty for all
     * @param scope        the environments the caller may reach, {@code null} for all
     * @param minIntensity only totals ≥ this (and always > 0)
     * @param excludeAgent drop pairs on which this agent has a visible pheromone, or {@code null}
     * @param limit        at most this many, ≥ 1
     * @param depositorLimit at most this many depositor names per aggregate (the first by name), {@code null} for all
     */
    List<TypeAggregate> top(List<String> types, String environment, List<String> kinds, java.util.Set<String> scope,
                            double minIntensity, String excludeAgent, int limit, Integer depositorLimit, Instant now) {
        List<Cursor> cursors = new ArrayList<>();
        for (Object o : this.types.decayOf(types)) {
            Object[] r = (Object[]) o;
            cursors.add(new Cursor((String) r[0], DecayPolicy.Exponential.KIND.equals(r[1]) ? ((Number) r[2]).longValue() : null));
        }
        double nowSeconds = keySeconds(now);
        List<Row> found = new ArrayList<>();
        int batch = Math.max(FIRST_BATCH_MIN, limit + 1);
        while (true) {
            for (Cursor c : cursors) {
                if (!c.done) {
                    read(c, batch, environment, kinds, scope, excludeAgent, depositorLimit, nowSeconds, now, minIntensity,
                            found);
                }
            }
            found.sort(Row.ORDER);
            double kth = found.size() >= limit ? found.get(limit - 1).total : Double.NEGATIVE_INFINITY;
            double needed = Math.max(kth, minIntensity);
            boolean more = false;
            for (Cursor c : cursors) {
                // strictly below: an unread pair tying the K-th could still win on the tie-break
                c.done |= c.lastBound * (1 + SLACK) < needed;
                more |= !c.done;
            }
            if (!more) {
                break;
            }
            batch = Math.min(batch * 2, 4096);
        }
        return found.stream().limit(limit).map(Row::aggregate).toList();
    }

    /**
     * The upper bound at {@code nowSeconds} (seconds since {@link #KEY_ORIGIN_EPOCH_SECONDS}) of the summed current
     * intensity of a pair whose {@code pheromone_aggregate.bound_key} is {@code key}.
     *
     * @param halfLifeSeconds the type's half-life when it is EXPONENTIAL, else {@code null} (keys do not decay)
     */
    static double bound(double key, Long halfLifeSeconds, double nowSeconds) {
        return Math.pow(2, halfLifeSeconds == null ? key : key - nowSeconds / halfLifeSeconds);
    }

    /** Seconds from {@link #KEY_ORIGIN_EPOCH_SECONDS} to {@code now}, the time axis of EXPONENTIAL keys. */
    static double keySeconds(Instant now) {
        return (now.getEpochSecond() - KEY_ORIGIN_EPOCH_SECONDS) + now.getNano() / 1e9;
    }

    /** One type's position in its bound order. */
    private static final class Cursor {
        final String type;
        final Long halfLifeSeconds; // EXPONENTIAL only: keys then decay with time
        double afterKey = Double.MAX_VALUE;
        long afterId = Long.MAX_VALUE;
        double lastBound = Double.POSITIVE_INFINITY;
        boolean done;

        Cursor(String type, Long halfLifeSeconds) {
            this.type = type;
            this.halfLifeSeconds = halfLifeSeconds;
        }

        double boundAt(double key, double nowSeconds) {
            return bound(key, halfLifeSeconds, nowSeconds);
        }
    }

    private record Row(String kind, String key, String environment, String type, double total, long count,
                       List<String> depositors) {
        static final Comparator<Row> ORDER = Comparator.comparingDouble(Row::total).reversed()
                .thenComparing(Row::kind).thenComparing(Row::key).thenComparing(Row::type);

        TypeAggregate aggregate() {
            return new TypeAggregate(kind + "/" + key, environment, type, total, count, depositors);
        }
    }

    /** Reads the next {@code batch} candidates of one type with their exact totals; keeps those that qualify. */
    private void read(Cursor c, int batch, String environment, List<String> kinds, java.util.Set<String> scope,
                      String excludeAgent, Integer depositorLimit,
                      double nowSeconds, Instant now, double minIntensity, List<Row> found) {
        List<?> rows = repository.rankingCandidates(c.type, c.afterKey, c.afterId, batch, environment, kinds,
                scope, excludeAgent, depositorLimit, now);
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            c.afterId = ((Number) r[0]).longValue();
            c.afterKey = ((Number) r[1]).doubleValue();
            if (r[5] == null || (Boolean) r[8]) {
                continue; // nothing visible, or excluded
            }
            double total = ((Number) r[5]).doubleValue();
            if (total >= minIntensity && total > 0) {
                found.add(new Row((String) r[2], (String) r[3], (String) r[4], c.type, total,
                        ((Number) r[6]).longValue(), r[7] == null ? List.of() : Arrays.asList((String[]) r[7])));
            }
        }
        // unread pairs have keys ≤ the last one read: its bound bounds them all
        c.lastBound = rows.isEmpty() ? 0 : c.boundAt(c.afterKey, nowSeconds);
        c.done = rows.size() < batch;
    }
}
