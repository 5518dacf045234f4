package dev.stigmergy.intent;

import java.time.Instant;

/**
 * A file held by an active intent.
 *
 * @param path      the declared path (file, directory or glob)
 * @param level     1–4
 * @param intentId  the holding intent
 * @param holder    its agent
 * @param entity    its parent entity
 * @param priority  its priority
 * @param expiresAt its lease end (UTC)
 */
public record HeldFileView(String path, int level, long intentId, String holder, String entity, int priority,
                           Instant expiresAt) {
}
