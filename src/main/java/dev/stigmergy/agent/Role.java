package dev.stigmergy.agent;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A role row; mirrors {@code V2__create_agent_and_role.sql}. */
@Entity
@Table(name = "role")
class Role extends PanacheEntityBase {

    /** Built-in role names with a meaning in the service itself. */
    static final String AGENT = "agent";
    static final String REVIEWER = "reviewer";
    static final String ADMIN = "admin";
    /** May create environments, besides admin (issue 27). */
    static final String MAINTAINER = "maintainer";

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
