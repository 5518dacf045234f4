package dev.stigmergy.pheromone;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/**
 * The acting role may not do this operation on this signal type: 403. Two rules can refuse, and member
 * {@code refusedBy} names which: {@code "role-slice"} (the role's slice, {@code /roles/{role}/slice}, does not
 * list the type) or {@code "signal-type"} (the type's own {@code writeRoles} / {@code reinforceRoles} leave the
 * role out). A type's roles list who may at most; a slice narrows that further.
 */
public class OutsideRoleSliceException extends StigmergyException {

    /** Refused by the role's slice. */
    public static final String SLICE = "role-slice";
    /** Refused by the signal type's own roles. */
    public static final String TYPE = "signal-type";

    public OutsideRoleSliceException(String role, String operation, String type) {
        this(role, operation, type, SLICE);
    }

    public OutsideRoleSliceException(String role, String operation, String type, String refusedBy) {
        super(403, "/problems/outside-role-slice", "Outside role slice",
                "role '" + role + "' may not " + operation + " signal type '" + type + "': "
                        + (refusedBy.equals(SLICE) ? "the role's slice (/roles/" + role + "/slice) does not allow it"
                        : "the signal type's roles (/signal-types/" + type + ") leave the role out"),
                Map.of("role", role, "operation", operation, "signalType", type, "refusedBy", refusedBy));
    }
}
