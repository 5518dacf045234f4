package dev.stigmergy.event;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;

/** One row of the event log; mirrors {@code V1__create_event.sql}. Rows are never updated. */
@Entity
@Table(name = "event")
class Event extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "event_id")
    @SequenceGenerator(name = "event_id", sequenceName = "event_id_seq", allocationSize = 1)
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
