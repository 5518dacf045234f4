package dev.stigmergy.git;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.stigmergy.git.TestRepo.lines;
import static dev.stigmergy.git.TestRepo.replaceLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EditOverlapCommandTest {

    private static final String BASE = lines(60);

    /** A repository whose main has a.txt (60 lines), b.txt and old.txt; branches a and b fork from it. */
    private static TestRepo forked() throws Exception {
        TestRepo repo = TestRepo.create();
        repo.write("src/a.txt", BASE).write("src/b.txt", lines(10)).write("src/old.txt", lines(30)).commit("base");
        repo.branch("a").checkout("main").branch("b").checkout("main");
        return repo;
    }

    private static OverlapReport compare(TestRepo repo) {
        try (GitRepository git = GitRepository.open(repo.dir)) {
            return git.overlap("a", "b").run();
        }
    }

    private static void assertAgreesWithGit(TestRepo repo, OverlapReport report) throws Exception {
        assertEquals(repo.gitMergesCleanly("a", "b"), report.clean(), "agreement with git merge-tree: " + report);
    }

    @Test
    void differentFilesMergeCleanly() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 5, "A")).commit("a");
            repo.checkout("b").write("src/b.txt", replaceLine(lines(10), 5, "B")).commit("b");
            OverlapReport report = compare(repo);
            assertTrue(report.files().isEmpty());
            assertEquals(List.of("src/a.txt"), report.changedA());
            assertNotNull(report.mergeBase());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void sameFileFarApartHunksDoNotCollide() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 5, "A")).commit("a");
            repo.checkout("b").write("src/a.txt", replaceLine(BASE, 50, "B")).commit("b");
            OverlapReport report = compare(repo);
            FileOverlap file = report.files().get(0);
            assertEquals(List.of(new Hunk(5, 1)), file.hunksA());
            assertEquals(List.of(new Hunk(50, 1)), file.hunksB());
            assertTrue(file.collidingHunks().isEmpty());
            assertTrue(report.clean());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void sameHunksCollideAndConflict() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 20, "A")).commit("a");
            repo.checkout("b").write("src/a.txt", replaceLine(BASE, 20, "B")).commit("b");
            OverlapReport report = compare(repo);
            assertEquals(1, report.files().get(0).collidingHunks().size());
            assertEquals(List.of("src/a.txt"), report.conflictingPaths());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void adjacentLinesCollideAsInGit() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 20, "A")).commit("a");
            repo.checkout("b").write("src/a.txt", replaceLine(BASE, 21, "B")).commit("b");
            OverlapReport report = compare(repo);
            assertEquals(1, report.files().get(0).collidingHunks().size());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void theSameChangeOnBothSidesCollidesButMergesCleanly() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 20, "same")).commit("a");
            repo.checkout("b").write("src/a.txt", replaceLine(replaceLine(BASE, 20, "same"), 50, "B")).commit("b");
            OverlapReport report = compare(repo);
            assertEquals(1, report.files().get(0).collidingHunks().size());
            assertTrue(report.clean(), report.toString());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void contextLinesWidenCollision() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/a.txt", replaceLine(BASE, 20, "A")).commit("a");
            repo.checkout("b").write("src/a.txt", replaceLine(BASE, 24, "B")).commit("b");
            try (GitRepository git = GitRepository.open(repo.dir)) {
                assertTrue(git.overlap("a", "b").run().files().get(0).collidingHunks().isEmpty());
                assertFalse(git.overlap("a", "b").contextLines(3).run().files().get(0).collidingHunks().isEmpty());
            }
        }
    }

    @Test
    void renameOnOneSideIsFollowedToTheEditOnTheOther() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").move("src/old.txt", "src/new.txt").commit("rename");
            repo.checkout("b").write("src/old.txt", replaceLine(lines(30), 10, "B")).commit("edit");
            OverlapReport report = compare(repo);
            FileOverlap file = report.files().get(0);
            assertEquals("src/old.txt", file.basePath());
            assertEquals("src/new.txt", file.pathA());
            assertEquals("src/old.txt", file.pathB());
            assertTrue(report.clean(), "git carries the edit over to the renamed file");
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void modifyDeleteConflicts() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").delete("src/b.txt").commit("delete");
            repo.checkout("b").write("src/b.txt", replaceLine(lines(10), 3, "B")).commit("edit");
            OverlapReport report = compare(repo);
            assertEquals(List.of("src/b.txt"), report.conflictingPaths());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void addAddWithDifferentContentConflictsAndSameContentDoesNot() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").write("src/c.txt", "one\n").write("src/d.txt", "same\n").commit("a");
            repo.checkout("b").write("src/c.txt", "two\n").write("src/d.txt", "same\n").commit("b");
            OverlapReport report = compare(repo);
            assertEquals(List.of("src/c.txt"), report.conflictingPaths());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void renameToTwoDifferentPathsConflicts() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").move("src/old.txt", "src/left.txt").commit("a");
            repo.checkout("b").move("src/old.txt", "src/right.txt").commit("b");
            OverlapReport report = compare(repo);
            assertFalse(report.clean());
            assertAgreesWithGit(repo, report);
        }
    }

    @Test
    void unknownRefIsRefused() throws Exception {
        try (TestRepo repo = forked(); GitRepository git = GitRepository.open(repo.dir)) {
            assertThrows(UnknownRefException.class, () -> git.overlap("a", "no-such-branch").run());
            assertThrows(UnknownRefException.class, () -> git.overlap("--upload-pack=x", "a").run());
        }
    }

    @Test
    void changedPathsIncludeBothSidesOfRenames() throws Exception {
        try (TestRepo repo = forked()) {
            repo.checkout("a").move("src/old.txt", "src/new.txt").write("src/a.txt", "x\n").commit("a");
            try (GitRepository git = GitRepository.open(repo.dir)) {
                assertEquals(List.of("src/a.txt", "src/new.txt", "src/old.txt"), git.changedPaths("main", "a"));
                assertEquals(List.of("src/a.txt", "src/b.txt", "src/old.txt"), git.files("main"));
            }
        }
    }
}
