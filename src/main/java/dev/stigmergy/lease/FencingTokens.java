package dev.stigmergy.lease;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Draws fencing tokens from the one global, strictly increasing sequence {@code fencing_token_seq}
 * (DESIGN.md §1): every grant of a hold takes a new token in the granting transaction, so a stale holder
 * is recognised by its smaller token.
 */
@ApplicationScoped
public class FencingTokens {

    private final EntityManager em;

    public FencingTokens(EntityManager em) {
        this.em = em;
    }

    /** The next token; must run in the granting transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long next() {
        return ((Number) em.createNativeQuery("select nextval('fencing_token_seq')").getSingleResult()).longValue();
    }
}
