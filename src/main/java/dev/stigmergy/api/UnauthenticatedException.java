package dev.stigmergy.api;

import java.util.Map;

/** No bearer token, or one that belongs to no agent: 401. */
public class UnauthenticatedException extends StigmergyException {

    public UnauthenticatedException(String detail) {
        super(401, "/problems/unauthenticated", "Unauthenticated", detail, Map.of());
    }
}
