package dev.stigmergy.intent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathLocksTest {

    /** Soundness: two declarations that may overlap always meet on a lock one of them takes exclusively. */
    @Test
    void overlappingDeclarationsMeetOnAnExclusiveLockAndMostDisjointOnesDoNot() {
        Random random = new Random(11);
        String[] names = {"a", "b", "ab", "a b", "a0", "é", "*", "a*", "?", "[ab]", "**"};
        int overlapping = 0;
        int apart = 0;
        for (int round = 0; round < 10_000; round++) {
            List<PathPattern> one = declared(random, names), other = declared(random, names);
            boolean conflict = conflict(PathLocks.of("env", one), PathLocks.of("env", other));
            if (one.stream().anyMatch(p -> other.stream().anyMatch(p::overlaps))) {
                overlapping++;
                assertTrue(conflict, one + " and " + other + " may overlap but take no conflicting lock");
            } else if (!conflict) {
                apart++;
            }
        }
        assertTrue(overlapping > 1000 && apart > 500, "the cases are varied: " + overlapping + " / " + apart);
    }

    @Test
    void filesOfOneDirectoryOnlyShareTheDirectoriesAbove() {
        assertFalse(conflict(locks("src/a.py", "src/b.py"), locks("src/c.py", "lib/x.py", "src/d/*.py")));
        assertTrue(conflict(locks("src/a.py"), locks("src/")));
        assertTrue(conflict(locks("src/a.py"), locks("src/*.py")));
        assertTrue(conflict(locks("src/a.py"), locks("**/*.md")), "a glob without literal directory may meet anything");
        assertTrue(conflict(locks("src/a.py"), locks("src/a.py/x")), "a path may name a directory");
    }

    @Test
    void eachLockIsTakenOnceInAscendingOrder() {
        List<PathLocks.Lock> locks = locks("a/b/c.py", "a/b/d.py", "a/e.py", "a/b/");
        for (int k = 1; k < locks.size(); k++) {
            assertTrue(locks.get(k - 1).id() < locks.get(k).id(), locks.toString());
        }
        // a/b/ holds off what is beneath it: exclusive on a/b/ and a/e.py/, shared on "" and a/
        assertEquals(2, locks.stream().filter(PathLocks.Lock::exclusive).count(), locks.toString());
        assertEquals(4, locks.size(), locks.toString());
    }

    @Test
    void aWideDeclarationLocksDirectoriesYetStillMeetsEachOfItsFiles() {
        List<String> paths = new ArrayList<>();
        for (int k = 0; k < 500; k++) {
            paths.add("m" + k % 7 + "/d" + k % 13 + "/f" + k + ".py");
        }
        List<PathLocks.Lock> wide = locks(paths.toArray(String[]::new));
        assertTrue(wide.stream().filter(PathLocks.Lock::exclusive).count() <= PathLocks.MAX_EXCLUSIVE, wide.toString());
        for (String path : paths) {
            assertTrue(conflict(wide, locks(path)), path);
        }
        assertFalse(conflict(wide, locks("other/f1.py")));
    }

    @Test
    void environmentsDoNotShareLocks() {
        assertFalse(conflict(PathLocks.of("one", List.of(PathPattern.parse("**"))),
                PathLocks.of("two", List.of(PathPattern.parse("**")))));
    }

    private static List<PathPattern> declared(Random random, String[] names) {
        List<PathPattern> declared = new ArrayList<>();
        for (int k = 0; k < 1 + random.nextInt(3); k++) {
            declared.add(PrefixRangesTest.randomPattern(random, names));
        }
        return declared;
    }

    private static List<PathLocks.Lock> locks(String... paths) {
        return PathLocks.of("env", java.util.Arrays.stream(paths).map(PathPattern::parse).toList());
    }

    // PostgreSQL's advisory locks: shared ones are compatible with each other, exclusive ones with nothing
    private static boolean conflict(List<PathLocks.Lock> a, List<PathLocks.Lock> b) {
        Map<Long, Boolean> byId = b.stream().collect(Collectors.toMap(PathLocks.Lock::id, PathLocks.Lock::exclusive));
        return a.stream().anyMatch(l -> byId.containsKey(l.id()) && (l.exclusive() || byId.get(l.id())));
    }
}
