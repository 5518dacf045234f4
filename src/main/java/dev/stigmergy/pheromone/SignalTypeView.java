package dev.stigmergy.pheromone;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

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
 * @param writeRoles     roles that may at most deposit it ({@code *}: any); each role's slice narrows it further
 * @param reinforceRoles roles that may at most give verdicts on it ({@code *}: any); each role's slice narrows it
 * @param serviceOwned   kept and retracted by the service only; agents cannot deposit or remove it
 * @param builtIn        seeded by the service; cannot be deleted
 * @param createdAt      registration time (UTC)
 * @param createdBy      registering agent, {@code service} for built-ins
 */
public record SignalTypeView(String name, String displayName, String description, String colour, DecayPolicy decay,
                             double maxIntensity, Double depositCap,
                             @Schema(description = "Roles that may at most deposit it (`*`: any). Each role's slice "
                                     + "(`/roles/{role}/slice`) narrows it further: a 403 names which of the two refused")
                             List<String> writeRoles,
                             @Schema(description = "Roles that may at most give verdicts on it (`*`: any), narrowed "
                                     + "further by each role's slice")
                             List<String> reinforceRoles, boolean serviceOwned, boolean builtIn, Instant createdAt,
                             String createdBy) {
}
