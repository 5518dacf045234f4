package dev.stigmergy.event;

import java.time.Instant;

/**
 * When an agent was last seen in the event log.
 *
 * @param agent           agent id
 * @param lastHeartbeatAt its latest {@code agent.heartbeat} (UTC), or {@code null} when it never sent one
 * @param lastEventAt     its latest event of any type (UTC), or {@code null} when it caused none
 */
public record LastSeen(String agent, Instant lastHeartbeatAt, Instant lastEventAt) {
}
