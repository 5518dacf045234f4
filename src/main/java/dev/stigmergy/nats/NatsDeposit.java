package dev.stigmergy.nats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.pheromone.Deposit;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * The body of a deposit request on {@code <prefix>.<environment>.deposit}: the REST body of
 * {@code POST /entities/{kind}/{key}/pheromones} ({@link Deposit}) plus the entity address, which REST carries in
 * the path. Example: {@code {"entity": "job/COD2-5", "type": "workingonit", "intensity": 1.0}}.
 *
 * @param entity entity address {@code kind/key} of an entity of the subject's environment
 */
public record NatsDeposit(@NotBlank @Size(max = 169) String entity, String type, Double intensity, JsonNode payload,
                          Long halfLifeSeconds) {

    /** The REST record, validated as REST validates it. */
    Deposit deposit() {
        return new Deposit(type, intensity, payload, halfLifeSeconds);
    }
}
