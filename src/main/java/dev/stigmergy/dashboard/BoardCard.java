package dev.stigmergy.dashboard;

import dev.stigmergy.entity.EntityView;
import dev.stigmergy.intent.IntentView;
import dev.stigmergy.lock.LockView;
import dev.stigmergy.pheromone.PheromoneView;
import dev.stigmergy.unlock.UnlockRequestView;

import java.util.List;

/**
 * An entity as the Board draws it: the same state as its five public reads.
 *
 * @param entity         the entity
 * @param pheromones     what the acting role senses on it now ({@code GET /entities/{kind}/{key}/pheromones})
 * @param lock           its live lock, or {@code null}
 * @param intents        its active intents, at most {@link DashboardService#MAX_HOLDS}
 * @param unlockRequests pending unlock requests on it, at most {@link DashboardService#MAX_HOLDS}
 * @param trimmed        {@code true} when the card alone would pass a page's byte bound: pheromones, intents and
 *                       requests were left out (the entity's own reads still answer them)
 */
public record BoardCard(EntityView entity, List<PheromoneView> pheromones, LockView lock, List<IntentView> intents,
                        List<UnlockRequestView> unlockRequests, boolean trimmed) {

    BoardCard trim() {
        return new BoardCard(entity, List.of(), lock, List.of(), List.of(), true);
    }
}
