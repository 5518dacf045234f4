package dev.stigmergy.mcp;

import java.util.regex.Pattern;

/**
 * An entity address {@code kind/key} as a tool argument (DESIGN.md §1), split for the services that take kind
 * and key apart.
 */
record EntityAddress(String kind, String key) {

    private static final Pattern ADDRESS = Pattern.compile("[a-z][a-z0-9-]{0,39}/[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * @throws io.quarkiverse.mcp.server.McpException invalid params, naming {@code entity}
     */
    static EntityAddress parse(String entity) {
        if (entity == null || !ADDRESS.matcher(entity).matches()) {
            throw ToolCalls.invalidParams("entity", "must be an entity address kind/key, e.g. job/COD2-5");
        }
        int slash = entity.indexOf('/');
        return new EntityAddress(entity.substring(0, slash), entity.substring(slash + 1));
    }
}
