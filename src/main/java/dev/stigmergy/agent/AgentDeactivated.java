package dev.stigmergy.agent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fired synchronously, inside the transaction that deactivates an agent, before {@code agent.deactivated} is
 * recorded. Each service that grants holds (locks, intents, pheromone claims) observes it and ends every live hold
 * of {@link #agentId()} through its own release path, as if the holder had released it (so its events,
 * {@code HoldEnded}, the retraction of {@code files_blocked} and OBSOLETE unlock requests follow as usual), and
 * {@link #released reports} each.
 */
public final class AgentDeactivated {

    /**
     * One hold ended by the deactivation.
     *
     * @param kind   {@code lock}, {@code intent} or {@code claim}
     * @param id     the hold's id within its kind (fencing token of a lock, intent id, pheromone id)
     * @param entity entity address {@code kind/key}
     */
    public record Released(String kind, String id, String entity) {
    }

    private final String agentId;
    private final Instant now;
    private final List<Released> released = new ArrayList<>();

    public AgentDeactivated(String agentId, Instant now) {
        this.agentId = agentId;
        this.now = now;
    }

    /** The agent being deactivated. */
    public String agentId() {
        return agentId;
    }

    /** The deactivation's instant, at the database's precision (microseconds). */
    public Instant now() {
        return now;
    }

    /** Called by observers for each hold they ended. */
    public synchronized void released(Released hold) {
        released.add(hold);
    }

    synchronized List<Released> releasedHolds() {
        return Collections.unmodifiableList(new ArrayList<>(released));
    }
}
