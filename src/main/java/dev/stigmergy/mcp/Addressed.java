package dev.stigmergy.mcp;

import java.util.List;

/**
 * What a tool call addresses, for the environment-scope check (issue 27): the environment it names and the REST
 * path of the object it acts on, so that {@code agent.EnvironmentScopes} applies the one rule it applies to REST.
 *
 * @param environment the environment argument, or null
 * @param path        the REST path segments of the addressed object ({@code entities, job, K}), or empty
 */
record Addressed(String environment, List<String> path) {

    /** A call that addresses nothing in particular (heartbeat, my_holds): only its answer is filtered. */
    static final Addressed NOTHING = new Addressed(null, List.of());

    static Addressed environment(String environment) {
        return new Addressed(environment, List.of());
    }

    static Addressed entity(EntityAddress at) {
        return new Addressed(null, List.of("entities", at.kind(), at.key()));
    }

    static Addressed pheromone(long id) {
        return new Addressed(null, List.of("pheromones", String.valueOf(id)));
    }

    static Addressed intent(long id) {
        return new Addressed(null, List.of("intents", String.valueOf(id)));
    }

    static Addressed unlockRequest(long id) {
        return new Addressed(null, List.of("unlock-requests", String.valueOf(id)));
    }
}
