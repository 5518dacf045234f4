package dev.stigmergy.lease;

import java.time.Instant;
import java.util.List;

/**
 * Answer to a heartbeat.
 *
 * @param agent   the heartbeating agent
 * @param at      the heartbeat's instant (UTC)
 * @param renewed every lease renewed, each by its own lease length from {@code at}
 */
public record HeartbeatAnswer(String agent, Instant at, List<RenewedLease> renewed) {
}
