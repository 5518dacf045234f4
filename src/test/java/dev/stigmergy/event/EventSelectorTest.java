package dev.stigmergy.event;

import dev.stigmergy.api.StigmergyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventSelectorTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "*, entity.created, true",
            "*, agent.registered, true",
            "pheromone.*, pheromone.deposited, true",
            "pheromone.*, pheromone.claim.granted, true",
            "pheromone.*, pheromone, false",
            "pheromone.*, pheromones.deposited, false",
            "pheromone.*, lock.acquired, false",
            "*.released, lock.released, true",
            "*.released, intent.files.released, true",
            "*.released, lock.released.late, false",
            "*.released, released, false",
            "intent.denied, intent.denied, true",
            "intent.denied, intent.denied.partly, false",
            "intent.denied, intent.granted, false",
            "lock.*.forced, lock.release.forced, true",
            "lock.*.forced, lock.forced, false",
            "Entity.CREATED, entity.created, true",
            "entity.created, entityXcreated, false",
            "request.*.review, request.code.review, true",
            "request.*.review, request.review, false",
            "*.replayed, completion.replayed, true",
            "*.*, completion.replayed, true",
            "*.*, importance, false",
    })
    void selectorMatchesTypes(String selector, String type, boolean matches) {
        assertEquals(matches, EventSelector.parse(selector).matches(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "pheromone.", ".created", "a..b", "pheromone.*x", "**", "a b", "a.(b)", "lock.re*"})
    void malformedSelectorIsInvalidInput(String selector) {
        StigmergyException e = assertThrows(StigmergyException.class, () -> EventSelector.parse(selector));
        assertEquals(400, e.status());
    }

    @ParameterizedTest(name = "{0} fails at character {1}, segment {2}")
    @CsvSource({
            "'a..b', 3, 2",
            "'.created', 1, 1",
            "'pheromone.', 11, 2",
            "'lock.re*', 6, 2",
            "'request.*.rev iew', 11, 3",
    })
    void malformedSelectorNamesWhereItFails(String selector, int position, int segment) {
        MalformedSelectorException e = assertThrows(MalformedSelectorException.class, () -> EventSelector.parse(selector));
        assertEquals(position, e.members().get("position"));
        assertEquals(segment, e.members().get("segment"));
        assertEquals(selector, e.members().get("selector"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("at character " + position), e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void listSplitsOnCommas() {
        assertEquals(3, EventSelector.parseAll(java.util.List.of("pheromone.*,*.released", "intent.denied")).size());
    }
}
