package dev.stigmergy.event;

import dev.stigmergy.api.InvalidInputException;
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
    })
    void selectorMatchesTypes(String selector, String type, boolean matches) {
        assertEquals(matches, EventSelector.parse(selector).matches(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ".", "pheromone.", ".created", "a..b", "pheromone.*x", "**", "a b", "a.(b)", "lock.re*"})
    void malformedSelectorIsInvalidInput(String selector) {
        assertThrows(InvalidInputException.class, () -> EventSelector.parse(selector));
    }

    @org.junit.jupiter.api.Test
    void listSplitsOnCommas() {
        assertEquals(3, EventSelector.parseAll(java.util.List.of("pheromone.*,*.released", "intent.denied")).size());
    }
}
