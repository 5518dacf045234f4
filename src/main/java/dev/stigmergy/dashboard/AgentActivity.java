package dev.stigmergy.dashboard;

import dev.stigmergy.agent.Liveness;
import dev.stigmergy.intent.IntentView;
import dev.stigmergy.lock.LockGrant;

import java.time.Instant;
import java.util.List;

/**
 * An agent, when it was last seen and what it holds, for the dashboard's Agents view.
 *
 * @param id              stable identity
 * @param displayName     human-readable name
 * @param roles           declared roles, the first being the default acting role
 * @param createdAt       registration time (UTC)
 * @param lastHeartbeatAt its latest heartbeat (UTC), or {@code null} when it never sent one
 * @param lastEventAt     its latest change of any kind (UTC), or {@code null} when it made none
 * @param liveness        active, idle or gone, as {@code GET /agents} derives it (DESIGN.md §7)
 * @param locks           its live locks in any environment, at most {@link DashboardService#MAX_HOLDS}
 * @param intents         its active intents in the environment asked about, at most {@link DashboardService#MAX_HOLDS}
 * @param trimmed         {@code true} when its holds alone would pass a page's byte bound and were left out
 */
public record AgentActivity(String id, String displayName, List<String> roles, Instant createdAt,
                            Instant lastHeartbeatAt, Instant lastEventAt, Liveness liveness,
                            List<LockGrant> locks, List<IntentView> intents, boolean trimmed) {

    AgentActivity withoutHolds() {
        return new AgentActivity(id, displayName, roles, createdAt, lastHeartbeatAt, lastEventAt, liveness,
                List.of(), List.of(), true);
    }
}
