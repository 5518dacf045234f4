package dev.stigmergy.pheromone;

import dev.stigmergy.event.EventView;
import dev.stigmergy.event.EventStreamConfig;
import dev.stigmergy.event.EventVisibility;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Predicate;

/**
 * Role locality on the event log and its streams (issue 6, issue 27, DESIGN.md §1 "role"), the default: the
 * events of pheromones show only for signal types the acting role reads; every other event is shown. The slice is
 * read once per page or when a stream opens. {@code stigmergy.events.all-events-visible=true} shows everything.
 */
@ApplicationScoped
public class PheromoneEventVisibility implements EventVisibility {

    private final RoleSliceService slices;
    private final EventStreamConfig config;

    public PheromoneEventVisibility(RoleSliceService slices, EventStreamConfig config) {
        this.slices = slices;
        this.config = config;
    }

    @Override
    public Predicate<EventView> visibleTo(String agentId, String actingRole) {
        if (config.allEventsVisible()) {
            return event -> true;
        }
        RoleSliceView slice = slices.sliceOf(actingRole);
        return event -> {
            if (!event.type().startsWith("pheromone.") || event.data() == null || !event.data().hasNonNull("type")) {
                return true;
            }
            return slice.canRead(event.data().get("type").asText());
        };
    }
}
