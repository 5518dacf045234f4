package dev.stigmergy.pheromone;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Every read and write of {@code role_slice}, the {@link RoleSlice} rows; {@link RoleSliceService} holds the rules. */
@ApplicationScoped
class RoleSliceRepository implements PanacheRepositoryBase<RoleSlice, String> {
}
