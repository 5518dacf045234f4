package dev.stigmergy.entity;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An entity row; mirrors {@code V4__create_entity.sql}. Named {@code EntityRow} to stay clear of JPA's {@code @Entity}. */
@Entity
@Table(name = "entity")
class EntityRow extends PanacheEntityBase {

    @Id
    Long id;

    @Column(nullable = false)
    String kind;

    @Column(name = "key", nullable = false)
    String key;

    @Column(nullable = false)
    String environment;

    @Column(nullable = false)
    String title;

    @Column(nullable = false)
    String status;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    static EntityRow find(String kind, String key) {
        return find("kind = ?1 and key = ?2", kind, key).firstResult();
    }
}
