package dev.stigmergy.stig;

/**
 * The exit codes of {@code stig}, documented in {@code --help} and the README. A host hook reads 2 as "block
 * the tool call", which is also what a refused hook answers (see {@link HookCommand}).
 */
final class Exit {

    /** Done. */
    static final int DONE = 0;
    /** Anything else: authentication refused (401/403), an unexpected answer. */
    static final int FAILED = 1;
    /** Bad usage: options, arguments, configuration, or input the service refused as invalid (400). */
    static final int USAGE = 2;
    /** Refused because another agent holds the lock, intent or claim (409), or verify found a collision. */
    static final int REFUSED = 3;
    /** Not found (404): entity, intent, unlock request, environment. */
    static final int NOT_FOUND = 4;
    /** The service could not be reached, or answered 502/503/504, after the client's retries. */
    static final int UNAVAILABLE = 5;

    private Exit() {
    }
}
