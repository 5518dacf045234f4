package dev.stigmergy.lease;

import dev.stigmergy.api.StigmergyException;

/** The caller acts on a hold (release, renew, approve or reject an unlock request) it does not hold: 403. */
public class NotHolderException extends StigmergyException {

    /**
     * @param what   the hold as the caller addressed it, e.g. {@code lock on job/COD2-5}
     * @param holder its current holder
     */
    public NotHolderException(String what, String holder) {
        super(403, "/problems/not-holder", "Not the holder", what + " is held by agent " + holder
                + "; only the holder may do this");
    }
}
