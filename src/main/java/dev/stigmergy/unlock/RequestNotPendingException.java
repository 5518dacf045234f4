package dev.stigmergy.unlock;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** The unlock request was already decided, withdrawn, expired or made obsolete: 409 with its {@code status}. */
public class RequestNotPendingException extends StigmergyException {

    public RequestNotPendingException(long id, UnlockRequestStatus status) {
        super(409, "/problems/unlock-request-not-pending", "Unlock request not pending",
                "unlock request " + id + " is " + status, Map.of("status", status));
    }
}
