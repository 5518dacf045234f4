package dev.stigmergy.pheromone;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** Agents cannot deposit, remove, reinforce or claim a service-owned signal type such as {@code files_blocked}: 403. */
public class ServiceOwnedSignalException extends StigmergyException {

    public ServiceOwnedSignalException(String type) {
        super(403, "/problems/service-owned-signal", "Service-owned signal",
                "signal type '" + type + "' is kept and retracted by the service only", Map.of("signalType", type));
    }
}
