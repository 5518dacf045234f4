package dev.stigmergy.agent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A role row; mirrors its migration. Built-in names with a meaning in the service are {@link dev.stigmergy.caller.Roles}. */
@Entity
@Table(name = "role")
class Role extends PanacheEntityBase {

    @Id
    String name;

    @Column(nullable = false)
    String description;

    /** A read-only role may call only GET and HEAD. */
    @Column(name = "read_only", nullable = false)
    boolean readOnly;

    @Column(name = "built_in", nullable = false)
    boolean builtIn;
}
