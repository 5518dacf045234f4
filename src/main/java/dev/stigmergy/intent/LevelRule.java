package dev.stigmergy.intent;

/**
 * The level table of DESIGN.md §4 and issue 5: what happens to a new intent N on a file where another
 * agent's active intent E overlaps. Levels: 1 advisory, 2 soft reservation, 3 priority-based, 4 hard lock.
 */
public final class LevelRule {

    /** The outcome for N (and, for {@link #PREEMPT}, for E). */
    public enum Judgement {
        /** N is granted; the overlap is reported as a warning naming E. */
        WARN,
        /** N is denied on this file. */
        DENY,
        /** N wins a priority contest over E (both L3+): N is granted and E is preempted on this file. */
        PREEMPT
    }

    private LevelRule() {
    }

    /**
     * @param newLevel          N's level on the file, 1–4
     * @param newPriority       N's priority, 1–10 (higher wins)
     * @param existingLevel     E's level on the file, 1–4
     * @param existingPriority  E's priority, 1–10; E is always the earlier intent, so it wins ties
     */
    public static Judgement judge(int newLevel, int newPriority, int existingLevel, int existingPriority) {
        if (existingLevel == 4) {
            return Judgement.DENY;
        }
        if (newLevel == 4) {
            return existingLevel >= 2 ? Judgement.DENY : Judgement.WARN;
        }
        if (existingLevel == 3 && newLevel == 3) {
            return newPriority > existingPriority ? Judgement.PREEMPT : Judgement.DENY;
        }
        return Judgement.WARN;
    }
}
