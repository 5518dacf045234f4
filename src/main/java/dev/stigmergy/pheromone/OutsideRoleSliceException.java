package dev.stigmergy.pheromone;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** The acting role's slice does not include this signal type for this operation: 403. */
public class OutsideRoleSliceException extends StigmergyException {

    public OutsideRoleSliceException(String role, String operation, String type) {
        super(403, "/problems/outside-role-slice", "Outside role slice",
                "role '" + role + "' may not " + operation + " signal type '" + type + "'",
                Map.of("role", role, "operation", operation, "signalType", type));
    }
}
