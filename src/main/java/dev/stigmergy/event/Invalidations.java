package dev.stigmergy.event;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Announces that a cached row changed, when the caller's transaction commits (never when it rolls back): to this
 * replica's observers at once (observe with {@code during = TransactionPhase.AFTER_SUCCESS}, so a caller's next
 * request here never meets the old row), and to every replica through a PostgreSQL notification on
 * {@value #CHANNEL}, which each one's {@link EventNotificationListener} turns into an {@link Invalidation}.
 */
@ApplicationScoped
public class Invalidations {

    /** The notification channel; payload is the topic. */
    public static final String CHANNEL = "stigmergy_invalidate";

    private final EntityManager em;
    private final Event<Invalidation> local;

    public Invalidations(EntityManager em, Event<Invalidation> local) {
        this.em = em;
        this.local = local;
    }

    /** Announces {@code topic} (e.g. {@code agent:admin}) at the commit of the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void announce(String topic) {
        em.createNativeQuery("select pg_notify('" + CHANNEL + "', :topic)").setParameter("topic", topic).getSingleResult();
        local.fire(new Invalidation(topic));
    }
}
