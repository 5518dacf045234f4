package dev.stigmergy.colony;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated history whose dependency DAG is known by construction. One file, {@code blocks.txt}, has
 * {@value #BLOCKS} blocks of 20 lines; commit {@code k} (k ≥ 1, after a root commit that creates the file) rewrites
 * two lines in the middle of block {@code (k - 1) % BLOCKS}. Hunks of different blocks are 18 lines apart, far past
 * the context margin, so at hunk level commit k waits only for commit {@code k - BLOCKS} (the block's previous
 * writer) or the root; at file level every commit waits for the one before it. The tests replay it, and so does
 * the command's {@code --generate}, which measures the colony on it.
 */
final class GeneratedHistory {

    static final int BLOCKS = 6;
    private static final int LINES_PER_BLOCK = 20;

    private GeneratedHistory() {
    }

    /** Builds {@code edits} commits after the root in {@code dir}; answers the hunk-level DAG (index → earlier indexes). */
    static Map<Integer, Set<Integer>> create(Path dir, int edits) throws IOException, GitAPIException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < BLOCKS * LINES_PER_BLOCK; i++) {
            lines.add("block " + i / LINES_PER_BLOCK + ", line " + i % LINES_PER_BLOCK);
        }
        Map<Integer, Set<Integer>> dag = new HashMap<>();
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Files.write(dir.resolve("blocks.txt"), lines);
            commit(git, "Root: the blocks");
            for (int k = 1; k <= edits; k++) {
                int block = (k - 1) % BLOCKS;
                int at = block * LINES_PER_BLOCK + LINES_PER_BLOCK / 2;
                lines.set(at, "block " + block + " rewritten by commit " + k);
                lines.set(at + 1, "block " + block + " also rewritten by commit " + k);
                Files.write(dir.resolve("blocks.txt"), lines);
                commit(git, "Commit " + k + ": block " + block);
                dag.put(k, Set.of(k > BLOCKS ? k - BLOCKS : 0));
            }
        }
        return dag;
    }

    private static void commit(Git git, String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor("Test", "test@stigmergy.dev").setCommitter("Test", "test@stigmergy.dev").call();
    }
}
