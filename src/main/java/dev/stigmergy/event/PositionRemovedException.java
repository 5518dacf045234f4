package dev.stigmergy.event;

import dev.stigmergy.api.StigmergyException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A reader asked to resume after a position that retention removed (issue 29): 410 Gone. The problem names
 * {@code oldestKept}, the id of the oldest event still in the log ({@code null} when the log is empty), and
 * {@code resumeAfter}, the position to pass as {@code after} or {@code Last-Event-ID} to read on from it.
 */
public class PositionRemovedException extends StigmergyException {

    public PositionRemovedException(long position, long removedUpTo, Long oldestKept) {
        super(410, "/problems/position-removed", "Position removed",
                "events after " + position + " up to " + removedUpTo + " were removed by retention; the oldest "
                        + "position kept is " + (oldestKept == null ? "none (the log is empty)" : oldestKept)
                        + ": resume after " + removedUpTo + ", or from the start (0)",
                members(oldestKept, removedUpTo));
    }

    private static Map<String, Object> members(Long oldestKept, long removedUpTo) {
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("resumeAfter", removedUpTo);
        if (oldestKept != null) {
            members.put("oldestKept", oldestKept);
        }
        return members;
    }
}
