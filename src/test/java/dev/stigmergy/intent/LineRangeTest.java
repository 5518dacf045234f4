package dev.stigmergy.intent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LineRangeTest {

    @Test
    void rangesFartherApartThanTheMarginDoNotCollide() {
        // 10..20 and 24..30 have 3 lines between them (21, 22, 23): within git's 3-line context
        assertTrue(LineRange.collide(List.of(new LineRange(10, 20)), List.of(new LineRange(24, 30)), 3));
        // 10..20 and 25..30 have 4 lines between: apart
        assertFalse(LineRange.collide(List.of(new LineRange(10, 20)), List.of(new LineRange(25, 30)), 3));
        assertFalse(LineRange.collide(List.of(new LineRange(25, 30)), List.of(new LineRange(10, 20)), 3));
    }

    @Test
    void overlappingAndAdjacentRangesCollide() {
        assertTrue(LineRange.collide(List.of(new LineRange(10, 20)), List.of(new LineRange(15, 16)), 0));
        assertTrue(LineRange.collide(List.of(new LineRange(10, 20)), List.of(new LineRange(21, 22)), 0));
    }

    @Test
    void noRangesMeansTheWholeFile() {
        assertTrue(LineRange.collide(List.of(), List.of(new LineRange(500, 501)), 3));
        assertTrue(LineRange.collide(null, null, 3));
    }

    @Test
    void anyPairOfRangesIsEnough() {
        assertTrue(LineRange.collide(List.of(new LineRange(1, 2), new LineRange(100, 110)),
                List.of(new LineRange(50, 60), new LineRange(112, 115)), 3));
    }

    @Test
    void aRangeWithItsEndsSwappedCoversTheSameLines() {
        // an inverted range is refused at the door (400); the test itself must not depend on that
        assertTrue(LineRange.collide(List.of(new LineRange(100, 1)), List.of(new LineRange(1, 5)), 3));
        assertTrue(LineRange.collide(List.of(new LineRange(1, 5)), List.of(new LineRange(100, 1)), 3));
        assertFalse(LineRange.collide(List.of(new LineRange(200, 100)), List.of(new LineRange(1, 5)), 3));
    }
}
