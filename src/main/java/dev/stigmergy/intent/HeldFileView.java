package dev.stigmergy.intent;

import java.time.Instant;
import java.util.List;

/**
 * A file held by an active intent.
 *
 * @param path       the declared path (file, directory or glob)
 * @param level      1–4
 * @param intentId   the holding intent
 * @param holder     its agent
 * @param entity     its parent entity
 * @param priority   its priority
 * @param expiresAt  its lease end (UTC)
 * @param lineRanges the declared line ranges (1-based, both ends inclusive); empty for the whole file
 */
public record HeldFileView(String path, int level, long intentId, String holder, String entity, int priority,
                           Instant expiresAt, List<LineRange> lineRanges) {
}
