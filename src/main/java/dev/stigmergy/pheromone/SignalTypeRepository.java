package dev.stigmergy.pheromone;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.List;

/**
 * Every read and write of {@code signal_type}: the {@link SignalType} rows through Panache, and the statements the
 * services need beyond them. Decides nothing: {@link SignalTypeService} holds the rules.
 */
@ApplicationScoped
class SignalTypeRepository implements PanacheRepositoryBase<SignalType, String> {

    private final EntityManager em;

    SignalTypeRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Inserts a placeholder row named {@code name} unless one exists, so that concurrent registrations of one name
     * agree on a single winner; the caller then fills in the settings.
     *
     * @return whether this call inserted it
     */
    boolean insertIfAbsent(String name, Instant now, String agent) {
        return em.createNativeQuery("""
                        insert into signal_type (name, display_name, description, decay_kind, created_at, created_by,
                                                 half_life_seconds, floor, ttl_seconds, window_seconds)
                        values (:name, '', '', 'EXPIRY', :now, :agent, null, null, 1, null)
                        on conflict (name) do nothing""")
                .setParameter("name", name).setParameter("now", now).setParameter("agent", agent)
                .executeUpdate() > 0;
    }

    /** Raw rows (name, decay kind, half-life seconds) of the named types, for the ranking's bounds. */
    List<?> decayOf(List<String> types) {
        return em.createNativeQuery("select name, decay_kind, half_life_seconds from signal_type where name in (:types)")
                .setParameter("types", types).getResultList();
    }
}
