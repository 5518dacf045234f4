package dev.stigmergy.api;

/** A resource with the same identity already exists and the call would create it again: 409. */
public class AlreadyExistsException extends StigmergyException {

    public AlreadyExistsException(String what, String id) {
        super(409, "/problems/already-exists", "Already exists", what + " '" + id + "' already exists");
    }
}
