package dev.stigmergy.pheromone;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** Another agent holds a live claim on the pheromone: 409 with that claim as member {@code hold}. */
public class ClaimHeldException extends StigmergyException {

    public ClaimHeldException(ClaimView hold) {
        super(409, "/problems/claim-held", "Claim held",
                "pheromone " + hold.pheromone() + " on " + hold.entity() + " is claimed by agent " + hold.holder()
                        + " until " + hold.expiresAt(), Map.of("hold", hold));
    }
}
