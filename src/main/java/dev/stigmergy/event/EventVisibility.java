package dev.stigmergy.event;

import java.util.function.Predicate;

/**
 * The seam for role locality on streams (DESIGN.md §1 "role": which signal types a role may read). A stream
 * asks it once, when it opens, for the caller's slice and delivers only events it accepts, both when
 * replaying after {@code Last-Event-ID} and live. The default bean ({@link AllEventsVisible}) shows every
 * event; the roles capability replaces it by declaring its own {@code EventVisibility} bean.
 */
public interface EventVisibility {

    /**
     * The events the caller may see on a stream.
     *
     * @param agentId    the acting agent (bearer token's agent)
     * @param actingRole the role the call acts as
     * @return a predicate, called on the event hub's thread for every candidate event: must be fast,
     *         thread-safe and must not touch the database
     */
    Predicate<EventView> visibleTo(String agentId, String actingRole);
}
