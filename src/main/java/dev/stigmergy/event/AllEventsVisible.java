package dev.stigmergy.event;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Predicate;

/** Default {@link EventVisibility}: every caller sees every event, until roles define their slices. */
@ApplicationScoped
@DefaultBean
public class AllEventsVisible implements EventVisibility {

    @Override
    public Predicate<EventView> visibleTo(String agentId, String actingRole) {
        return event -> true;
    }
}
