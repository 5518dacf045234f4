package dev.stigmergy.pheromone;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One pheromone as sensed at {@code at}.
 *
 * @param id                id, for verdicts and claims
 * @param entity            entity address {@code kind/key}
 * @param environment       the entity's environment
 * @param type              signal type
 * @param depositor         depositing agent ({@code service:<source>} for service-owned signals)
 * @param intensity         current intensity at {@code at}, decay included (≥ 0)
 * @param foldedIntensity   intensity stored at {@code foldedAt}, the last deposit or verdict
 * @param foldedAt          when decay was last folded in (UTC)
 * @param createdAt         first deposit (UTC)
 * @param halfLifeSeconds   effective half-life (EXPONENTIAL only), else {@code null}
 * @param visibleUntil      when it becomes invisible (UTC); {@code null} for never
 * @param payload           the depositor's JSON payload, or {@code null}
 * @param claim             the live claim, or {@code null}
 * @param at                the instant this view was computed for (UTC)
 */
public record PheromoneView(long id, String entity, String environment, String type, String depositor,
                            double intensity, double foldedIntensity, Instant foldedAt, Instant createdAt,
                            Long halfLifeSeconds, Instant visibleUntil, JsonNode payload, ClaimView claim,
                            Instant at) {
}
