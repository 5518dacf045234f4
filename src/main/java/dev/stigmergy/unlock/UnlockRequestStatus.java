package dev.stigmergy.unlock;

import dev.stigmergy.api.InvalidInputException;

import java.util.Arrays;

/** Where an unlock request stands (DESIGN.md §3). Every status but PENDING is final. */
public enum UnlockRequestStatus {
    /** waiting for the holder's decision */
    PENDING,
    /** the holder approved: the hold was released, or handed over to the requester */
    APPROVED,
    /** the holder rejected it */
    REJECTED,
    /** the requester withdrew it */
    WITHDRAWN,
    /** nobody decided before its {@code expiresAt} */
    EXPIRED,
    /** the hold ended by another path (release, expiry, force release, handover to someone else) */
    OBSOLETE;

    /**
     * Reads a status from a query parameter; {@code null} stays {@code null} (any status).
     *
     * @throws InvalidInputException not a status name (400)
     */
    static UnlockRequestStatus parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("status must be one of " + Arrays.toString(values()) + ", was '" + name + "'");
        }
    }
}
