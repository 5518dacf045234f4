package dev.stigmergy.lease;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The agent heartbeat (DESIGN.md §3: "an agent heartbeat renews all of that agent's leases at once"). */
@ApplicationScoped
@Transactional
public class LeaseService {

    private final Event<Heartbeat> heartbeats;
    private final EventLog events;
    private final Clock clock;
    private final LivenessService liveness;

    public LeaseService(Event<Heartbeat> heartbeats, EventLog events, Clock clock, LivenessService liveness) {
        this.liveness = liveness;
        this.heartbeats = heartbeats;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Renews every live lease of the calling agent, in one transaction; recorded as {@code agent.heartbeat}.
     *
     * @return what was renewed, each with its new expiry
     */
    public HeartbeatAnswer heartbeat(Caller caller) {
        Instant now = clock.instant();
        Heartbeat heartbeat = new Heartbeat(caller.agentId(), now);
        heartbeats.fire(heartbeat);
        List<RenewedLease> renewed = heartbeat.renewedLeases();
        events.append(now, "agent.heartbeat", null, null, caller.agentId(), Map.of("renewed", renewed.size()));
        liveness.announceHeartbeat(caller.agentId(), now); // after its heartbeat event: the agent is active from it
        return new HeartbeatAnswer(caller.agentId(), now, renewed);
    }
}
