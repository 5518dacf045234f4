package dev.stigmergy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An entity kind row; mirrors {@code V4__create_entity.sql}. */
@Entity
@Table(name = "entity_kind")
class EntityKind extends PanacheEntityBase {

    @Id
    String name;

    @Column(nullable = false)
    String description;

    @Column(name = "built_in", nullable = false)
    boolean builtIn;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;
}
