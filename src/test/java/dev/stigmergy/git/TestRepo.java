package dev.stigmergy.git;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Builds small git repositories for tests with JGit: branches, files and commits in a few lines. */
public final class TestRepo implements AutoCloseable {

    public final Path dir;
    private final Git git;

    private TestRepo(Path dir, Git git) {
        this.dir = dir;
        this.git = git;
    }

    public static TestRepo create() throws IOException, GitAPIException {
        Path dir = Files.createTempDirectory("stigmergy-repo-");
        return new TestRepo(dir, Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call());
    }

    /** {@code n} numbered lines, "line 1" … "line n". */
    public static String lines(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
    }

    /** {@code text} with line {@code number} (1-based) replaced. */
    public static String replaceLine(String text, int number, String replacement) {
        String[] lines = text.split("\n", -1);
        lines[number - 1] = replacement;
        return String.join("\n", lines);
    }

    public TestRepo write(String path, String content) throws IOException {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public TestRepo delete(String path) throws IOException, GitAPIException {
        git.rm().addFilepattern(path).call();
        return this;
    }

    public TestRepo move(String from, String to) throws IOException, GitAPIException {
        write(to, Files.readString(dir.resolve(from)));
        git.rm().addFilepattern(from).call();
        return this;
    }

    public RevCommit commit(String message) throws GitAPIException {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        return git.commit().setMessage(message).setAuthor("test", "test@example.org")
                .setCommitter("test", "test@example.org").setSign(false).call();
    }

    public TestRepo branch(String name) throws GitAPIException {
        git.checkout().setCreateBranch(true).setName(name).call();
        return this;
    }

    /** Points HEAD at a branch with no commit, as {@code git init --bare} leaves it when pushes go to main. */
    public TestRepo unbornHead() throws IOException {
        git.getRepository().updateRef(org.eclipse.jgit.lib.Constants.HEAD).link("refs/heads/master");
        return this;
    }

    public TestRepo checkout(String name) throws GitAPIException {
        git.checkout().setName(name).call();
        return this;
    }

    /** The commit id {@code branch} points to. */
    public String head(String branch) throws IOException {
        return git.getRepository().resolve("refs/heads/" + branch).name();
    }

    /** Points {@code branch} (not the checked-out one) at {@code commit}, as {@code git branch -f} does. */
    public TestRepo forceBranch(String branch, String commit) throws IOException {
        org.eclipse.jgit.lib.RefUpdate update = git.getRepository().updateRef("refs/heads/" + branch);
        update.setNewObjectId(org.eclipse.jgit.lib.ObjectId.fromString(commit));
        update.forceUpdate();
        return this;
    }

    /** Whether real git ({@code git merge-tree --write-tree}) merges the two refs without conflict. */
    public boolean gitMergesCleanly(String a, String b) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "merge-tree", "--write-tree", a, b).directory(dir.toFile())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        int code = p.waitFor();
        if (code > 1) {
            throw new IllegalStateException("git merge-tree failed with " + code);
        }
        return code == 0;
    }

    @Override
    public void close() {
        git.close();
    }
}
