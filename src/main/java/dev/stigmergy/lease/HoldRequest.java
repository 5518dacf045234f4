package dev.stigmergy.lease;

import java.time.Instant;

/**
 * A pending request against a hold (e.g. an unlock request), as a hold's own view lists it.
 *
 * @param id        the request's id
 * @param requester id of the requesting agent
 * @param reason    why the requester wants the hold
 * @param handover  whether the requester asks to be handed the hold on approval
 * @param createdAt when it was made (UTC)
 * @param expiresAt when it lapses unless decided (UTC, exclusive)
 */
public record HoldRequest(long id, String requester, String reason, boolean handover, Instant createdAt,
                          Instant expiresAt) {
}
