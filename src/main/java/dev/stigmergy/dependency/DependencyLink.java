package dev.stigmergy.dependency;

import java.time.Instant;

/**
 * One {@code depends-on} link: {@code entity} waits until {@code dependsOn} is done.
 *
 * @param entity      the dependant, {@code kind/key}
 * @param dependsOn   the entity it waits for, {@code kind/key}
 * @param environment both ends' environment
 * @param createdAt   when the link was added (UTC)
 * @param createdBy   the agent that added it
 */
public record DependencyLink(String entity, String dependsOn, String environment, Instant createdAt, String createdBy) {
}
