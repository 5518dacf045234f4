package dev.stigmergy.pheromone;

import java.time.Instant;
import java.util.List;

/**
 * A signal type as served.
 *
 * @param name           lower_snake name, optionally in a family ({@code request.review})
 * @param displayName    human name
 * @param description    what the signal means
 * @param colour         display colour, e.g. {@code #1f77b4}, or {@code null}
 * @param decay          the decay policy
 * @param maxIntensity   the most any pheromone of the type reaches
 * @param depositCap     the most a plain deposit reaches (verdicts may go higher), or {@code null} for maxIntensity
 * @param writeRoles     roles that may deposit it ({@code *}: any whose slice allows it)
 * @param reinforceRoles roles that may give verdicts on it ({@code *}: any whose slice allows it)
 * @param serviceOwned   kept and retracted by the service only; agents cannot deposit or remove it
 * @param builtIn        seeded by the service; cannot be deleted
 * @param createdAt      registration time (UTC)
 * @param createdBy      registering agent, {@code service} for built-ins
 */
public record SignalTypeView(String name, String displayName, String description, String colour, DecayPolicy decay,
                             double maxIntensity, Double depositCap, List<String> writeRoles,
                             List<String> reinforceRoles, boolean serviceOwned, boolean builtIn, Instant createdAt,
                             String createdBy) {
}
