package dev.stigmergy.stig;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Ends a command with an exit code ({@link Exit}) and a message for people; under {@code --json} the
 * {@code body} (usually the service's RFC 9457 problem) is printed on standard output as well.
 */
final class StigException extends RuntimeException {

    private final int exitCode;
    private final transient JsonNode body;

    StigException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    StigException(int exitCode, String message, JsonNode body) {
        super(message);
        this.exitCode = exitCode;
        this.body = body;
    }

    int exitCode() {
        return exitCode;
    }

    /** The problem or report behind the failure, or {@code null}. */
    JsonNode body() {
        return body;
    }
}
