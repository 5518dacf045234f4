package dev.stigmergy.colony;

/**
 * The signal types the colony reads and writes (DESIGN.md §2 built-ins, plus one registered type).
 * Readiness is the pair {@code task_not_ready} / {@code available}: a job is ready when it has {@code available}
 * and no {@code task_not_ready}.
 */
final class Signals {

    /** Scout: how much a job matters; older jobs more, since later ones may wait for them. */
    static final String IMPORTANCE = "importance";
    /** Scout: the job's hunks depend on jobs not done yet; payload {@code waitsFor}. */
    static final String NOT_READY = "task_not_ready";
    /** Scout: every job this one depends on is done. */
    static final String AVAILABLE = "available";
    /** Worker: one more agent took the job up; a job several agents crashed on is left alone. */
    static final String SATURATION = "saturation";
    /** Worker: working on the job right now. */
    static final String WORKING = "workingonit";
    /**
     * Worker: the job is integrated; payload {@code commit} (the integration commit) and {@code agent}.
     * The validator reinforces it. Registered by the colony (family {@code completion.*}) with an expiry.
     */
    static final String DONE = "completion.replayed";

    /** Saturation at which workers skip a job: two agents already took it up and did not finish. */
    static final double SATURATED = 2.5;

    private Signals() {
    }
}
