package dev.stigmergy.lock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A lock row; mirrors {@code V20__create_entity_lock.sql}. One row per entity ever locked: the current grant,
 * or free ({@code holder == null}); read and written through {@link LockRepository}. Package-internal: other packages see {@link LockGrant} and
 * {@link dev.stigmergy.lease.Hold}.
 */
@Entity
@Table(name = "entity_lock")
class Lock {

    @Id
    @Column(name = "entity_id")
    Long entityId;

    @Column(nullable = false)
    String entity;

    @Column(nullable = false)
    String environment;

    String holder;

    @Column(name = "fencing_token")
    Long fencingToken;

    String reason;

    @Column(name = "lease_seconds")
    Integer leaseSeconds;

    @Column(name = "acquired_at")
    Instant acquiredAt;

    @Column(name = "expires_at")
    Instant expiresAt;

    /** An unlock request was made against this grant: its release must conclude pending requests. */
    @Column(name = "unlock_requested")
    boolean unlockRequested;

    /** Held and its lease not over at {@code now} (the lease end is exclusive). */
    boolean liveAt(Instant now) {
        return holder != null && expiresAt.isAfter(now);
    }

    /** Still granted in the row, but its lease is over at {@code now}: free, its expiry not yet recorded. */
    boolean lapsedAt(Instant now) {
        return holder != null && !expiresAt.isAfter(now);
    }

    void grant(String agent, long token, int leaseSeconds, String reason, Instant now) {
        this.holder = agent;
        this.fencingToken = token;
        this.leaseSeconds = leaseSeconds;
        this.reason = reason;
        this.acquiredAt = now;
        this.expiresAt = now.plusSeconds(leaseSeconds);
        this.unlockRequested = false;
    }

    void free() {
        holder = null;
        fencingToken = null;
        leaseSeconds = null;
        reason = null;
        acquiredAt = null;
        expiresAt = null;
        unlockRequested = false;
    }
}
