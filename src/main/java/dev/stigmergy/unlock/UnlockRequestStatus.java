package dev.stigmergy.unlock;

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
    OBSOLETE
}
