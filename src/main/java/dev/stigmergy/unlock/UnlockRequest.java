package dev.stigmergy.unlock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An unlock request row; mirrors {@code V21__create_unlock_request.sql}. Package-internal. */
@Entity
@Table(name = "unlock_request")
class UnlockRequest {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "hold_kind", nullable = false)
    String holdKind;

    @Column(name = "hold_id", nullable = false)
    String holdId;

    @Column(nullable = false)
    String entity;

    @Column(nullable = false)
    String environment;

    @Column(nullable = false)
    String holder;

    @Column(nullable = false)
    String requester;

    @Column(nullable = false)
    String reason;

    @Column(nullable = false)
    boolean handover;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    UnlockRequestStatus status;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    Instant expiresAt;

    @Column(name = "decided_at")
    Instant decidedAt;

    @Column(name = "decided_by")
    String decidedBy;

    String note;

    @Column(name = "granted_fencing_token")
    Long grantedFencingToken;

    /** The status as of {@code now}: a PENDING request past its expiry reads as EXPIRED. */
    UnlockRequestStatus statusAt(Instant now) {
        return status == UnlockRequestStatus.PENDING && !expiresAt.isAfter(now) ? UnlockRequestStatus.EXPIRED : status;
    }
}
