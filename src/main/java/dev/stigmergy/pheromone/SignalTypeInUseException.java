package dev.stigmergy.pheromone;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** The change needs a signal type no pheromone uses (delete, or a change of decay kind): 409. */
public class SignalTypeInUseException extends StigmergyException {

    public SignalTypeInUseException(String type, long pheromones, String change) {
        super(409, "/problems/signal-type-in-use", "Signal type in use",
                "signal type '" + type + "' is used by " + pheromones + " pheromone(s); cannot " + change,
                Map.of("signalType", type, "pheromones", pheromones));
    }
}
