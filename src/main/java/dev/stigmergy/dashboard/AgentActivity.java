package dev.stigmergy.dashboard;

import dev.stigmergy.agent.Liveness;
import java.time.Instant;
import java.util.List;

/**
 * An agent and when it was last seen, for the dashboard's Agents view.
 *
 * @param id              stable identity
 * @param displayName     human-readable name
 * @param roles           declared roles, the first being the default acting role
 * @param createdAt       registration time (UTC)
 * @param lastHeartbeatAt its latest heartbeat (UTC), or {@code null} when it never sent one
 * @param lastEventAt     its latest change of any kind (UTC), or {@code null} when it made none
 * @param liveness        active, idle or gone, as {@code GET /agents} derives it (DESIGN.md §7)
 */
public record AgentActivity(String id, String displayName, List<String> roles, Instant createdAt,
                            Instant lastHeartbeatAt, Instant lastEventAt, Liveness liveness) {
}
