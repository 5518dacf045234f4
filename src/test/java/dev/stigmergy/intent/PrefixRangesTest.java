package dev.stigmergy.intent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrefixRangesTest {

    @Test
    void aGlobReadsItsAncestorsExactlyAndEverythingInsideIt() {
        assertEquals(List.of("['', ' ')", "['a/', 'a/ ')", "['a/b/', 'a/b0')"), show(ranges("a/b/*.py")));
    }

    @Test
    void aPlainPathReadsWhatIsBeneathItAndOnlyItsOwnLineInItsAncestors() {
        assertEquals(List.of("['', ' ') a/x.py", "['a/', 'a/ ') a/x.py", "['a/x.py/', 'a/x.py0')"), show(ranges("a/x.py")));
    }

    @Test
    void overlappingRangesAreMergedSoNoHeldFileIsReadTwice() {
        // a/b/'s ancestor a/ and a/b/c/'s ancestors lie inside a/'s range
        assertEquals(List.of("['', ' ')", "['a/', 'a0')"), show(ranges("a/b/c/*", "a/*")));
    }

    @Test
    void aGlobWithoutLiteralDirectoryMayMeetAnything() {
        assertTrue(PrefixRanges.coverEverything(List.of(PathPattern.parse("**/*.md"))));
        assertFalse(PrefixRanges.coverEverything(List.of(PathPattern.parse("README.md"))));
        assertThrows(IllegalArgumentException.class, () -> ranges("*.md"));
    }

    /** Soundness: every held pattern that overlaps a declared one is selected by some range. */
    @Test
    void everyOverlappingHeldPatternIsRead() {
        Random random = new Random(7);
        String[] names = {"a", "b", "ab", "a b", "a-b", "a0", "é", "*", "a*", "?", "[ab]", "**"};
        int overlapping = 0;
        int skipped = 0;
        for (int round = 0; round < 2000; round++) {
            List<PathPattern> declared = new ArrayList<>();
            for (int k = 0; k < 1 + random.nextInt(3); k++) {
                declared.add(randomPattern(random, names));
            }
            if (PrefixRanges.coverEverything(declared)) {
                continue;
            }
            List<PrefixRanges.Range> ranges = PrefixRanges.of(declared);
            for (int k = 0; k < 20; k++) {
                PathPattern held = randomPattern(random, names);
                boolean read = ranges.stream().anyMatch(r -> selects(r, held));
                boolean overlaps = declared.stream().anyMatch(d -> d.overlaps(held));
                if (overlaps) {
                    overlapping++;
                    assertTrue(read, held + " overlaps one of " + declared + " but no range reads it: " + show(ranges));
                } else if (!read) {
                    skipped++;
                }
            }
        }
        assertTrue(overlapping > 1000 && skipped > 1000, "the cases are varied: " + overlapping + " / " + skipped);
    }

    /** What the candidate query's predicate computes for a held file (IntentRepository). */
    private static boolean selects(PrefixRanges.Range range, PathPattern held) {
        String prefix = held.literalPrefix();
        if (PrefixRanges.BYTE_ORDER.compare(prefix, range.lo()) < 0 || PrefixRanges.BYTE_ORDER.compare(prefix, range.hi()) >= 0) {
            return false;
        }
        if (range.plainRoot() == null || held.isGlob()) {
            return true;
        }
        String root = PathPattern.withoutSlash(held.text());
        return root.equals(range.plainRoot()) || range.plainRoot().startsWith(root + "/");
    }

    static PathPattern randomPattern(Random random, String[] names) {
        StringBuilder path = new StringBuilder();
        for (int depth = 1 + random.nextInt(3); depth > 0; depth--) {
            path.append(names[random.nextInt(names.length)]).append(depth > 1 || random.nextInt(4) == 0 ? "/" : "");
        }
        return PathPattern.parse(path.toString());
    }

    private static List<PrefixRanges.Range> ranges(String... declared) {
        return PrefixRanges.of(java.util.Arrays.stream(declared).map(PathPattern::parse).toList());
    }

    private static List<String> show(List<PrefixRanges.Range> ranges) {
        return ranges.stream().map(r -> "['" + r.lo() + "', '" + r.hi() + "')" + (r.plainRoot() == null ? "" : " " + r.plainRoot()))
                .toList();
    }
}
