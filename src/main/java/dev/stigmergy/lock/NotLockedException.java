package dev.stigmergy.lock;

import dev.stigmergy.api.StigmergyException;

/** The entity has no live lock (never locked, released, or its lease lapsed): 404. */
public class NotLockedException extends StigmergyException {

    public NotLockedException(String entity) {
        super(404, "/problems/not-locked", "Not locked", entity + " has no live lock");
    }
}
