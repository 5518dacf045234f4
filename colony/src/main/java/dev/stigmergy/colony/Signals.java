package dev.stigmergy.colony;

/**
 * The signal types the colony reads and writes (DESIGN.md §2 built-ins, plus one registered type). Which jobs
 * wait for which is not a signal but {@code depends-on} links, which the service's ready query reads.
 */
final class Signals {

    /** Scout: how much a job matters; older jobs more, since later ones may wait for them. */
    static final String IMPORTANCE = "importance";
    /**
     * Worker: the job is integrated; payload {@code commit} (the integration commit) and {@code agent}.
     * The validator reinforces it. Registered by the colony (family {@code completion.*}) with an expiry.
     */
    static final String DONE = "completion.replayed";

    private Signals() {
    }
}
