package dev.stigmergy.agent;

import dev.stigmergy.caller.Caller;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an endpoint whose service refuses every role but {@code admin} ({@link Caller#requireAdmin}).
 * {@link BearerAuthentication} applies that same check before the body is read, so that a caller who may not
 * write learns that first (403), not whether its body was well formed (400).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface AdminOnly {

    /** What the call does, for the refusal: "registering an agent". */
    String value();
}
