package dev.stigmergy.git;

import dev.stigmergy.api.StigmergyException;

/** A branch, tag or commit named by the caller does not resolve in the repository: 400. */
public class UnknownRefException extends StigmergyException {

    public UnknownRefException(String ref) {
        super(400, "/problems/unknown-ref", "Unknown ref", "'" + ref + "' names no commit in the repository");
    }
}
