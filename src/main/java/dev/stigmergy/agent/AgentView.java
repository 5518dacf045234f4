package dev.stigmergy.agent;

import java.time.Instant;
import java.util.List;

/**
 * An agent as served; never includes its token.
 *
 * @param id          stable identity
 * @param displayName human-readable name
 * @param roles       declared roles, the first being the default acting role
 * @param createdAt   registration time (UTC)
 * @param liveness    derived from its heartbeats and holds, on {@code GET /agents} and {@code GET /agents/{id}};
 *                    {@code null} elsewhere
 * @param environments the environments it may reach, by name; {@code null} for every environment
 */
public record AgentView(String id, String displayName, List<String> roles, Instant createdAt, Liveness liveness,
                        List<String> environments) {
}
