package dev.stigmergy.event;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/**
 * One row of the event log, as read; mirrors {@code V1__create_event.sql}. Rows are inserted by
 * {@link EventLog#append} (plain SQL, id from the column default) and never updated, so Hibernate loads them
 * read-only and keeps no snapshot to compare at commit.
 */
@Entity
@Immutable
@Table(name = "event")
class Event extends PanacheEntityBase {

    @Id
    Long id;

    @Column(name = "occurred_at", nullable = false)
    Instant occurredAt;

    @Column(nullable = false)
    String type;

    String environment;

    String entity;

    String agent;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    String data;
}
