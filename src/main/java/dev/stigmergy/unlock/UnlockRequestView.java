package dev.stigmergy.unlock;

import java.time.Instant;

/**
 * An unlock request as served.
 *
 * @param id                  the request's id
 * @param holdKind            kind of the hold it targets, e.g. {@code lock}
 * @param holdId              the hold's id within its kind (a lock's is its fencing token)
 * @param entity              entity address {@code kind/key} of the hold
 * @param environment         environment of that entity
 * @param holder              the holder when the request was made; the only agent that may decide it
 * @param requester           the requesting agent
 * @param reason              why it was requested
 * @param handover            whether approval hands the hold to the requester
 * @param status              as of the read; a PENDING request past {@code expiresAt} reads as EXPIRED
 * @param createdAt           when it was made (UTC)
 * @param expiresAt           when it lapses unless decided (UTC, exclusive)
 * @param decidedAt           when it left PENDING (UTC), or {@code null}
 * @param decidedBy           who decided it (holder, requester), or {@code null} when the service did
 * @param note                the holder's note, if any
 * @param grantedFencingToken on an approved handover, the requester's new fencing token
 */
public record UnlockRequestView(long id, String holdKind, String holdId, String entity, String environment,
                                String holder, String requester, String reason, boolean handover,
                                UnlockRequestStatus status, Instant createdAt, Instant expiresAt, Instant decidedAt,
                                String decidedBy, String note, Long grantedFencingToken) {
}
