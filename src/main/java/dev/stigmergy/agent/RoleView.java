package dev.stigmergy.agent;

/**
 * A role as served.
 *
 * @param name        role name
 * @param description what an agent acting in it does
 * @param readOnly    whether calls acting in it may only read (GET, HEAD)
 * @param builtIn     whether the service seeded it
 */
public record RoleView(String name, String description, boolean readOnly, boolean builtIn) {
}
