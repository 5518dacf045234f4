package dev.stigmergy.colony;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scratch clone's git work, without a service: jobs read from history, cherry-picks onto the integration branch. */
class ReplayRepositoryTest {

    @Test
    void jobsAreTheLastFirstParentCommitsOldestFirstAndTheRootsParentIsTheEmptyTree(@TempDir Path dir) throws Exception {
        int commits = OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            List<Job> jobs = repo.jobs();
            assertEquals(commits, jobs.size(), "fewer than asked when the history is shorter");
            assertNull(jobs.get(0).parent(), "the root commit");
            assertEquals("Root: four files", jobs.get(0).subject());
            assertEquals(jobs.get(0).shortSha() + ".t", jobs.get(0).key());
            Job v1 = jobs.get(1);
            assertEquals("Shared line 10, version 1", v1.subject());
            assertEquals(1, v1.files().size());
            assertArrayEquals(new int[] {10, 11}, v1.files().get(0).ranges().get(0), "lines 10-11 of the parent, both ends inclusive");
        }
    }

    @Test
    void aSubjectLongerThanTheServicesTitleLimitIsCut(@TempDir Path dir) throws Exception {
        Path source = dir.resolve("source");
        try (Git git = Git.init().setDirectory(source.toFile()).setInitialBranch("main").call()) {
            Files.writeString(source.resolve("a.txt"), "a\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("x".repeat(600) + "\n\nbody").setAuthor("Test", "test@stigmergy.dev")
                    .setCommitter("Test", "test@stigmergy.dev").call();
        }
        try (ReplayRepository repo = ReplayRepository.prepare(source, dir.resolve("scratch"), 1, "t")) {
            String subject = repo.jobs().get(0).subject();
            assertEquals(ReplayRepository.TITLE_MAX, subject.length());
            assertEquals("x".repeat(ReplayRepository.TITLE_MAX - 1) + "…", subject);
        }
        assertEquals("short", ReplayRepository.title("short"));
    }

    @Test
    void inOrderCherryPicksEndOnTheTipsTree(@TempDir Path dir) throws Exception {
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            for (Job job : repo.jobs()) {
                ReplayRepository.Applied applied = repo.apply(job);
                assertTrue(applied.clean(), job.subject());
                assertTrue(repo.holdsChange(job, applied.commit()), job.subject());
            }
            assertTrue(repo.identicalToTip());
        }
    }

    @Test
    void aJobIntegratedAheadOfAnEarlierHunkIsValidWhereApplyingItAgainWouldConflict(@TempDir Path dir) throws Exception {
        // three versions of a file from this repository's history: an earlier commit changes one line, a later one
        // folds two look-alike blocks seven lines below into one; git's histogram diff aligns the fold differently
        // when that line is missing, so re-applying the later commit onto the integrated tree conflicts
        Path source = dir.resolve("source");
        try (Git git = Git.init().setDirectory(source.toFile()).setInitialBranch("main").call()) {
            for (String version : List.of("before", "earlier", "later")) {
                try (var in = getClass().getResourceAsStream("/misaligned/" + version + ".txt")) {
                    Files.write(source.resolve("Commands.java"), in.readAllBytes());
                }
                git.add().addFilepattern(".").call();
                git.commit().setMessage(version).setAuthor("Test", "test@stigmergy.dev").setCommitter("Test", "test@stigmergy.dev").call();
            }
        }
        try (ReplayRepository repo = ReplayRepository.prepare(source, dir.resolve("scratch"), 3, "t")) {
            List<Job> jobs = repo.jobs();
            assertTrue(repo.apply(jobs.get(0)).clean());
            ReplayRepository.Applied later = repo.apply(jobs.get(2)); // ahead of the earlier line's job, as hunk level allows

            assertTrue(later.clean());
            assertTrue(repo.holdsChange(jobs.get(2), later.commit()), "the later job's integration is its change exactly");
            ReplayRepository.Applied earlier = repo.apply(jobs.get(1));
            assertTrue(earlier.clean());
            assertTrue(repo.holdsChange(jobs.get(1), earlier.commit()));
            assertTrue(repo.identicalToTip());
        }
    }

    @Test
    void aChainedCommitBeforeItsPredecessorConflictsAndLeavesTheBranchAlone(@TempDir Path dir) throws Exception {
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            List<Job> jobs = repo.jobs();
            assertTrue(repo.apply(jobs.get(0)).clean());
            var head = repo.head();
            ReplayRepository.Applied version2 = repo.apply(jobs.get(3)); // "Shared line 10, version 2" without version 1

            assertFalse(version2.clean());
            assertEquals(List.of("shared.txt"), version2.conflicts());
            assertEquals(head, repo.head());
            assertFalse(repo.identicalToTip());
        }
    }
}
