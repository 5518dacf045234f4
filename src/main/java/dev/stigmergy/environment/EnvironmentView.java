package dev.stigmergy.environment;

import java.time.Instant;

/**
 * An environment as served.
 *
 * @param name        unique name
 * @param description free text, may be {@code null}
 * @param repository  git repository location (path or clone URL), may be {@code null}
 * @param createdAt   creation time (UTC)
 * @param createdBy   id of the agent that created it
 */
public record EnvironmentView(String name, String description, String repository, Instant createdAt,
                              String createdBy) {
}
