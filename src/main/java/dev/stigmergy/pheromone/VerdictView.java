package dev.stigmergy.pheromone;

import java.time.Instant;

/**
 * A recorded verdict.
 *
 * @param id              verdict id
 * @param pheromone       the pheromone's id
 * @param validator       the agent that gave it
 * @param role            the role it acted as
 * @param approve         approval or reject
 * @param delta           signed intensity it added (REINFORCEMENT_ONLY strength sums these within the window)
 * @param extendSeconds   extension of visibleUntil, or {@code null}
 * @param trigger         what prompted it, or {@code null}
 * @param intensityBefore current intensity just before (decay folded in)
 * @param intensityAfter  current intensity just after
 * @param decidedAt       when (UTC)
 * @param pheromoneAfter  the pheromone after the verdict
 */
public record VerdictView(long id, long pheromone, String validator, String role, boolean approve, double delta,
                          Long extendSeconds, String trigger, double intensityBefore, double intensityAfter,
                          Instant decidedAt, PheromoneView pheromoneAfter) {
}
