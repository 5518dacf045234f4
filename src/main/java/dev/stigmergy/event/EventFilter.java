package dev.stigmergy.event;

import java.util.List;
import java.util.function.Predicate;

/**
 * What one stream delivers: events whose type matches any selector (every type when there is none), in the
 * given environment, on the given entity, by the given agent (each {@code null} for any), and visible to
 * the caller.
 *
 * @param selectors   type selectors, ORed; empty for every type
 * @param environment exact environment name, or {@code null}
 * @param entity      exact entity address {@code kind/key}, or {@code null}
 * @param agent       exact acting agent id, or {@code null}
 * @param visible     the caller's slice of the medium, from {@link EventVisibility}
 */
public record EventFilter(List<EventSelector> selectors, String environment, String entity, String agent,
                          Predicate<EventView> visible) {

    public EventFilter {
        selectors = List.copyOf(selectors);
    }

    /** Every event, for every caller. */
    public static EventFilter everything() {
        return new EventFilter(List.of(), null, null, null, e -> true);
    }

    /** Whether the stream delivers {@code event}. */
    public boolean test(EventView event) {
        if (environment != null && !environment.equals(event.environment())) {
            return false;
        }
        if (entity != null && !entity.equals(event.entity())) {
            return false;
        }
        if (agent != null && !agent.equals(event.agent())) {
            return false;
        }
        if (!selectors.isEmpty() && selectors.stream().noneMatch(s -> s.matches(event.type()))) {
            return false;
        }
        return visible.test(event);
    }
}
