package dev.stigmergy.lease;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a holder of leases tells agent liveness (DESIGN.md §7): how many leases of each agent are live. Implemented
 * by every service granting leased holds (locks, intents, pheromone claims) as a CDI bean; runs in the caller's
 * transaction, if any.
 */
public interface LiveLeases {

    /** For each of {@code agents} that holds any, how many of its leases expire after {@code now}. */
    Map<String, Integer> liveLeases(List<String> agents, Instant now);

    /** Counts rows of {@code (agent, count)} into a map: the shape every implementation answers. */
    static Map<String, Integer> counted(List<?> rows) {
        Map<String, Integer> out = new java.util.HashMap<>();
        for (Object o : rows) {
            Object[] r = (Object[]) o;
            out.put((String) r[0], ((Number) r[1]).intValue());
        }
        return out;
    }
}
