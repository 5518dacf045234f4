package dev.stigmergy.pheromone;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/**
 * One deposit per (entity, type, depositor); mirrors {@code V11__create_pheromone.sql}. {@code intensity} is
 * the intensity at {@code depositedAt}, the last fold; the current one is computed on read. Package-internal.
 */
@Entity
@Table(name = "pheromone")
class Pheromone extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    Long id;

    @Column(name = "entity_id", nullable = false)
    long entityId;

    @Column(name = "entity_kind", nullable = false)
    String entityKind;

    @Column(name = "entity_key", nullable = false)
    String entityKey;

    @Column(nullable = false)
    String environment;

    @Column(nullable = false)
    String type;

    /** The depositor: an agent id, or {@code service:<source>} for service-owned signals. */
    @Column(nullable = false)
    String agent;

    @Column(nullable = false)
    double intensity;

    @Column(name = "deposited_at", nullable = false)
    Instant depositedAt;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "half_life_seconds")
    Long halfLifeSeconds;

    /** Null: never evaporates (PERMANENT). */
    @Column(name = "visible_until")
    Instant visibleUntil;

    @Column(name = "rank_key")
    Double rankKey;

    @JdbcTypeCode(SqlTypes.JSON)
    String payload;

    @Column(name = "claim_holder")
    String claimHolder;

    @Column(name = "claim_fencing_token")
    Long claimFencingToken;

    @Column(name = "claim_lease_seconds")
    Long claimLeaseSeconds;

    @Column(name = "claim_expires_at")
    Instant claimExpiresAt;

    String address() {
        return entityKind + "/" + entityKey;
    }

    boolean visibleAt(Instant now) {
        return visibleUntil == null || visibleUntil.isAfter(now);
    }
}
