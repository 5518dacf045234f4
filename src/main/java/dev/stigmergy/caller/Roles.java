package dev.stigmergy.caller;

/** Built-in role names with a meaning in the service itself (DESIGN.md §6). */
public final class Roles {

    /** Every agent's role when it declares none. */
    public static final String AGENT = "agent";
    public static final String REVIEWER = "reviewer";
    /** Registers agents and roles, forces releases, reaches every environment's administration. */
    public static final String ADMIN = "admin";
    /** May create environments, besides admin (issue 27). */
    public static final String MAINTAINER = "maintainer";

    private Roles() {
    }
}
