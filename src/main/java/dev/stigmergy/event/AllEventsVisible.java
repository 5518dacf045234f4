package dev.stigmergy.event;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Predicate;

/**
 * Fallback {@link EventVisibility} when no capability declares one: every caller sees every event. With the
 * pheromone capability present, its slice-aware visibility is used instead, and showing every event to every role
 * is the explicit setting {@code stigmergy.events.all-events-visible=true}.
 */
@ApplicationScoped
@DefaultBean
public class AllEventsVisible implements EventVisibility {

    @Override
    public Predicate<EventView> visibleTo(String agentId, String actingRole) {
        return event -> true;
    }
}
