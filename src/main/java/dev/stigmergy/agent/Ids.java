package dev.stigmergy.agent;

/** Shapes of agent and role identifiers, shared by validation annotations. */
final class Ids {

    static final String AGENT_ID = "[a-z0-9][a-z0-9._-]{0,63}";
    static final String AGENT_ID_MESSAGE = "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit";
    static final String ROLE = "[a-z][a-z0-9_-]{0,31}";

    private Ids() {
    }
}
