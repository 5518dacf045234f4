package dev.stigmergy.api;

/** The caller is authenticated but its acting role may not do this: 403. */
public class ForbiddenException extends StigmergyException {

    public ForbiddenException(String detail) {
        super(403, "/problems/forbidden", "Forbidden", detail);
    }
}
