package dev.stigmergy.pheromone;

import dev.stigmergy.event.EventView;
import dev.stigmergy.event.EventVisibility;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.Predicate;

/**
 * Role locality on event streams (issue 6, DESIGN.md §1 "role"): a stream shows the events of pheromones
 * only for signal types the acting role reads; every other event is shown. The slice is read once, when
 * the stream opens.
 */
@ApplicationScoped
public class PheromoneEventVisibility implements EventVisibility {

    private final RoleSliceService slices;

    public PheromoneEventVisibility(RoleSliceService slices) {
        this.slices = slices;
    }

    @Override
    public Predicate<EventView> visibleTo(String agentId, String actingRole) {
        RoleSliceView slice = slices.sliceOf(actingRole);
        return event -> {
            if (!event.type().startsWith("pheromone.") || event.data() == null || !event.data().hasNonNull("type")) {
                return true;
            }
            return slice.canRead(event.data().get("type").asText());
        };
    }
}
