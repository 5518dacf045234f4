package dev.stigmergy.lock;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** Another agent holds the lock: 409, with that hold as the problem's {@code hold} member. */
public class LockHeldException extends StigmergyException {

    public LockHeldException(HeldLock hold) {
        super(409, "/problems/lock-held", "Lock held",
                hold.entity() + " is held by agent " + hold.holder(), Map.of("hold", hold));
    }
}
