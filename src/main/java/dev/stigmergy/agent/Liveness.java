package dev.stigmergy.agent;

import java.time.Instant;

/**
 * An agent's liveness, derived at {@code at} and never stored as truth (DESIGN.md §7 "Agent liveness").
 *
 * @param state           {@code active}: a heartbeat within the configured interval; {@code idle}: none within it,
 *                        but leases still live; {@code gone}: neither
 * @param lastHeartbeatAt its latest heartbeat (UTC), or {@code null} when it never sent one
 * @param liveLeases      how many of its holds (locks, intents, claims) are leased at {@code at}
 * @param at              the instant it was derived at (UTC)
 */
public record Liveness(String state, Instant lastHeartbeatAt, int liveLeases, Instant at) {

    public static final String ACTIVE = "active";
    public static final String IDLE = "idle";
    public static final String GONE = "gone";
}
