package dev.stigmergy.environment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An environment row; mirrors {@code V3__create_environment.sql}. */
@Entity
@Table(name = "environment")
class Environment extends PanacheEntityBase {

    @Id
    String name;

    String description;

    String repository;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;
}
