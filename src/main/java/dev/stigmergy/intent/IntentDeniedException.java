package dev.stigmergy.intent;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/** A declaration was denied (all-or-nothing with a denied file, or every file denied): 409 with the report. */
public class IntentDeniedException extends StigmergyException {

    public IntentDeniedException(IntentDecision decision, String detail) {
        super(409, "/problems/intent-denied", "Intent denied", detail, Map.of("decision", decision));
    }
}
