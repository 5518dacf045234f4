package dev.stigmergy.colony;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A test repository whose history overlaps on purpose: chains of commits rewriting the same lines of one file,
 * commits touching two chains' files at once, a rename then an edit of the renamed file, a deletion, and
 * independent commits on files of their own. Replayed out of order, the chains conflict.
 */
final class OverlappingHistory {

    private OverlappingHistory() {
    }

    /** Builds it in {@code dir} (JGit porcelain) and answers how many commits it has. */
    static int create(Path dir) throws IOException, GitAPIException {
        Files.createDirectories(dir);
        int commits = 0;
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            write(dir, "shared.txt", lines("shared", 30));
            write(dir, "other.txt", lines("other", 30));
            write(dir, "to-rename.txt", lines("renamed", 10));
            write(dir, "doomed.txt", lines("doomed", 5));
            commits += commit(git, "Root: four files");
            for (int v = 1; v <= 6; v++) { // one line rewritten six times: any two out of order conflict
                List<String> shared = read(dir, "shared.txt");
                shared.set(9, "line 10 of shared, version " + v);
                shared.set(10, "line 11 of shared, version " + v);
                write(dir, "shared.txt", shared);
                commits += commit(git, "Shared line 10, version " + v);
                write(dir, "independent-" + v + ".txt", lines("independent " + v, 3));
                commits += commit(git, "Independent file " + v);
            }
            for (int v = 1; v <= 4; v++) { // a second chain, crossing the first one
                List<String> other = read(dir, "other.txt");
                other.set(19, "line 20 of other, version " + v);
                write(dir, "other.txt", other);
                if (v % 2 == 0) {
                    List<String> shared = read(dir, "shared.txt");
                    shared.set(24, "line 25 of shared, touched with other version " + v);
                    write(dir, "shared.txt", shared);
                }
                commits += commit(git, "Other line 20, version " + v);
            }
            git.rm().addFilepattern("to-rename.txt").call();
            write(dir, "renamed.txt", lines("renamed", 10));
            commits += commit(git, "Rename to-rename.txt to renamed.txt");
            List<String> renamed = read(dir, "renamed.txt");
            renamed.set(2, "line 3 of renamed, edited after the rename");
            write(dir, "renamed.txt", renamed);
            commits += commit(git, "Edit the renamed file");
            git.rm().addFilepattern("doomed.txt").call();
            commits += commit(git, "Delete doomed.txt");
        }
        return commits;
    }

    private static int commit(Git git, String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.commit().setMessage(message).setAuthor("Test", "test@stigmergy.dev").setCommitter("Test", "test@stigmergy.dev").call();
        return 1;
    }

    private static List<String> lines(String name, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            lines.add("line " + i + " of " + name);
        }
        return lines;
    }

    private static List<String> read(Path dir, String file) throws IOException {
        return new ArrayList<>(Files.readAllLines(dir.resolve(file)));
    }

    private static void write(Path dir, String file, List<String> lines) throws IOException {
        Files.write(dir.resolve(file), lines);
    }
}
