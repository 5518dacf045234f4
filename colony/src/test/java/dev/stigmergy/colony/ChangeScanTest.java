package dev.stigmergy.colony;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scout's source: changed paths from tree diffs, dependencies at file and hunk level, against known DAGs. */
class ChangeScanTest {

    @Test
    void hunkLevelFindsTheGeneratedDagAndFileLevelAChain(@TempDir Path dir) throws Exception {
        Map<Integer, Set<Integer>> known = GeneratedHistory.create(dir.resolve("source"), 24);
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            ChangeScan scan = repo.scan();
            assertEquals(25, scan.size());
            Map<Integer, Set<Integer>> hunk = new HashMap<>();
            for (int i = 0; i < scan.size(); i++) {
                Set<Integer> deps = scan.hunkLevel(i);
                if (!deps.isEmpty()) {
                    hunk.put(i, deps);
                }
                assertEquals(i == 0 ? Set.of() : Set.of(i - 1), scan.fileLevel(i), "file level: the previous writer of the file");
            }
            assertEquals(known, hunk);
        }
    }

    @Test
    void theOverlappingHistorysChainsStayOrderedAndRenamesAndDeletesCollideWithEverything(@TempDir Path dir) throws Exception {
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            ChangeScan scan = repo.scan();
            // jobs: 0 root, 1 shared v1, 2 independent 1, 3 shared v2, … 11 shared v6, 12 independent 6, 13 other v1,
            // 14 other v2 + shared line 25, 15 other v3, 16 other v4 + shared line 25, 17 rename, 18 edit renamed, 19 delete
            for (int i = 0; i < scan.size(); i++) {
                Set<Integer> deps = scan.hunkLevel(i);
                switch (i) {
                    case 3 -> assertEquals(Set.of(1), deps, "the same two lines: version 2 after version 1");
                    case 2 -> assertEquals(Set.of(), deps, "a new file of its own");
                    case 14 -> assertEquals(Set.of(13), deps, "line 25 is far from lines 10-11: only other.txt orders it");
                    case 16 -> assertEquals(Set.of(15), deps, "after other v3; line 25 after v2, which v3 follows already");
                    case 18 -> assertEquals(Set.of(17), deps, "the edit of the renamed file after the rename");
                    case 19 -> assertEquals(Set.of(0), deps, "a deletion collides with the file's whole history");
                    default -> {
                    }
                }
            }
            assertEquals(Set.of(11, 13), scan.fileLevel(14), "file level: the latest writer of each of its files");
            assertEquals(Set.of(), scan.fileLevel(2));
        }
    }

    @Test
    void rangesCarriedBackShiftAcrossUnchangedStretchesAndWidenAcrossHunks() {
        var edits = new org.eclipse.jgit.diff.EditList();
        edits.add(new org.eclipse.jgit.diff.Edit(10, 12, 10, 15)); // lines 10-11 became 10-14: +3
        var mapped = ChangeScan.back(java.util.List.of(new int[] {30, 32}, new int[] {11, 13}), edits);
        assertEquals(27, mapped.get(0)[0]);
        assertEquals(29, mapped.get(0)[1]);
        assertTrue(mapped.get(1)[0] <= 10 && mapped.get(1)[1] >= 12, "widened to the hunk's old side");
        assertTrue(ChangeScan.collide(java.util.List.of(new int[] {0, 2}), java.util.List.of(new int[] {5, 6})), "3 lines apart collide");
        assertTrue(!ChangeScan.collide(java.util.List.of(new int[] {0, 2}), java.util.List.of(new int[] {6, 7})), "4 lines apart do not");
    }
}
