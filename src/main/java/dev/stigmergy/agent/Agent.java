package dev.stigmergy.agent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An agent row; mirrors {@code V2__create_agent_and_role.sql}. The token is kept only as its hash. */
@Entity
@Table(name = "agent")
class Agent extends PanacheEntityBase {

    @Id
    String id;

    @Column(name = "display_name", nullable = false)
    String displayName;

    @Column(nullable = false)
    String[] roles;

    @Column(name = "token_hash", nullable = false)
    String tokenHash;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    /** The environments it may reach; {@code null} for every one. */
    String[] environments;

    static Agent findByTokenHash(String hash) {
        return find("tokenHash", hash).firstResult();
    }
}
