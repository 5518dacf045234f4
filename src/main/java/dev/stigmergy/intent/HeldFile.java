package dev.stigmergy.intent;

import java.util.List;

/** An active intent's held file, as read for overlap checks. */
record HeldFile(long intentId, String agent, String entity, int priority, String path, int level,
                List<LineRange> lineRanges) {
}
