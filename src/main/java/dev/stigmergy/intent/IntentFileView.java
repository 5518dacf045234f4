package dev.stigmergy.intent;

import java.util.List;

/**
 * A file held (or once held) by an intent.
 *
 * @param path       as declared
 * @param level      1–4
 * @param lineRanges declared ranges, empty for the whole file
 * @param status     {@code HELD}, {@code RELEASED} (by an approved unlock request or the intent's end) or
 *                   {@code PREEMPTED} (lost an L3 priority contest)
 */
public record IntentFileView(String path, int level, List<LineRange> lineRanges, String status) {
}
