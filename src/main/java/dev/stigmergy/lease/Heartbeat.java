package dev.stigmergy.lease;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Fired synchronously, inside the heartbeat's transaction, when an agent heartbeats. Each kind of holder
 * observes it, renews every live lease of {@link #agentId()} by that lease's own length from {@link #now()},
 * and {@link #renewed(RenewedLease) reports} what it renewed.
 */
public final class Heartbeat {

    private final String agentId;
    private final Instant now;
    private final List<RenewedLease> renewed = new ArrayList<>();

    public Heartbeat(String agentId, Instant now) {
        this.agentId = agentId;
        this.now = now;
    }

    public String agentId() {
        return agentId;
    }

    public Instant now() {
        return now;
    }

    /** Called by observers for each lease they renewed. */
    public synchronized void renewed(RenewedLease lease) {
        renewed.add(lease);
    }

    synchronized List<RenewedLease> renewedLeases() {
        return Collections.unmodifiableList(new ArrayList<>(renewed));
    }
}
