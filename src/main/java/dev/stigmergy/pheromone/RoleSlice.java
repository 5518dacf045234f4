package dev.stigmergy.pheromone;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.util.Arrays;

/** A role's slice of the medium; mirrors {@code V13__create_role_slice.sql}. Package-internal. */
@Entity
@Table(name = "role_slice")
class RoleSlice extends PanacheEntityBase {

    @Id
    String role;

    @Column(nullable = false)
    String[] reads;

    @Column(nullable = false)
    String[] writes;

    @Column(nullable = false)
    String[] reinforces;

    String environment;

    @Column(name = "entity_kinds", nullable = false)
    String[] entityKinds;

    @Column(nullable = false)
    String[] types;

    @Column(name = "min_intensity", nullable = false)
    double minIntensity;

    @Column(name = "query_limit", nullable = false)
    int queryLimit;

    RoleSliceView view() {
        return new RoleSliceView(role, Arrays.asList(reads), Arrays.asList(writes), Arrays.asList(reinforces),
                new RoleSliceView.LocalQuery(environment, Arrays.asList(entityKinds), Arrays.asList(types),
                        minIntensity, queryLimit));
    }
}
