package dev.stigmergy.intent;

import java.time.Instant;
import java.util.List;

/**
 * An intent as served.
 *
 * @param id           intent id
 * @param environment  environment name
 * @param entity       parent entity address {@code kind/key}
 * @param agent        the declaring agent (holder)
 * @param description  free text
 * @param priority     1–10
 * @param leaseSeconds lease length; renewals extend by it
 * @param fencingToken from the global sequence, issued at declaration
 * @param branch       optional branch
 * @param baseCommit   optional base commit
 * @param status       {@code ACTIVE}, {@code COMPLETED}, {@code CANCELLED} or {@code EXPIRED}
 * @param createdAt    declaration time (UTC)
 * @param expiresAt    lease end (UTC); an ACTIVE intent past it is expired
 * @param endedAt      when it stopped being active, or {@code null}
 * @param files        its files
 */
public record IntentView(long id, String environment, String entity, String agent, String description, int priority,
                         int leaseSeconds, long fencingToken, String branch, String baseCommit, String status,
                         Instant createdAt, Instant expiresAt, Instant endedAt, List<IntentFileView> files) {
}
