package dev.stigmergy.git;

import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differential test of the trial merge against git itself: random histories in a scratch repository (branches,
 * criss-cross merges with differing resolutions, renames, deletes, adds, adjacent and identical edits), and on
 * every pair of commits drawn from them, {@code clean} and the conflicting paths of {@link EditOverlapCommand}
 * must equal what {@code git merge-tree --write-tree --name-only} says.
 *
 * <p>Files are renamed within their directory only: git's directory-rename detection (a whole directory moved on
 * one side, a file added to it on the other) is outside what the trial merge models.
 *
 * <p>A second mode replays the real merge commits of a repository: for each two-parent merge reachable from
 * {@code -Ddifferential.range} (default {@code HEAD}) of {@code -Ddifferential.repository} (default: the repository
 * this build runs in), the trial merge of its parents against {@code git merge-tree}'s verdict on them, counted as
 * recall and precision of "would conflict" (issue 28's goal: ≥ 0.99 and ≥ 0.98) and as conflicting paths that
 * differ.
 */
class TrialMergeDifferentialTest {

    private static final int HISTORIES = Integer.getInteger("differential.histories", 12);
    private static final int PAIRS_PER_HISTORY = 90;
    private static final PersonIdent WHO = new PersonIdent("gen", "gen@example.org");

    @Test
    void agreesWithGitMergeTreeOnRandomHistories() throws Exception {
        int pairs = 0;
        int criss = 0;
        int conflicted = 0;
        List<String> disagreements = new ArrayList<>();
        for (int h = 0; h < HISTORIES; h++) {
            long seed = 1_000L + h;
            try (History history = new History(seed)) {
                history.grow(36);
                Random pick = new Random(seed * 31);
                try (GitRepository git = GitRepository.open(history.dir)) {
                    for (int p = 0; p < PAIRS_PER_HISTORY; p++) {
                        String a = history.pick(pick);
                        String b = history.pick(pick);
                        long objects = history.objectFiles();
                        OverlapReport report = git.overlap(a, b).run();
                        // the virtual base lives in memory: the comparison writes nothing to the repository
                        assertEquals(objects, history.objectFiles(), "objects written comparing " + a + " " + b);
                        GitVerdict verdict = history.gitMergeTree(a, b);
                        pairs++;
                        criss += report.mergeBaseCount() > 1 ? 1 : 0;
                        conflicted += verdict.clean() ? 0 : 1;
                        if (verdict.clean() != report.clean() || !verdict.paths().equals(report.conflictingPaths())) {
                            disagreements.add("seed " + seed + " " + a + " " + b + " bases=" + report.mergeBaseCount()
                                    + " git=" + verdict.paths() + " ours=" + report.conflictingPaths());
                        }
                    }
                }
            }
        }
        assertTrue(pairs >= 1_000, "pairs: " + pairs);
        assertTrue(criss >= pairs / 10, "pairs with several merge bases: " + criss + " of " + pairs);
        assertTrue(conflicted >= pairs / 10, "conflicting pairs: " + conflicted + " of " + pairs);
        assertEquals(List.of(), disagreements.subList(0, Math.min(20, disagreements.size())),
                disagreements.size() + " disagreements of " + pairs + " pairs (" + criss + " criss-cross, "
                        + conflicted + " conflicting)");
    }

    @Test
    void agreesWithGitMergeTreeOnTheRealMergesOfARepository() throws Exception {
        Path dir = Path.of(System.getProperty("differential.repository", commonGitDir()));
        String range = System.getProperty("differential.range", "HEAD");
        List<String[]> merges = new ArrayList<>(); // {merge, first parent, second parent}
        for (String line : git(dir, "rev-list", "--merges", "--parents", range).split("\n")) {
            String[] ids = line.trim().split(" ");
            if (ids.length == 3) {
                merges.add(ids);
            }
        }
        int truePositive = 0;
        int falsePositive = 0;
        int falseNegative = 0;
        int criss = 0;
        List<String> pathsDiffer = new ArrayList<>();
        try (GitRepository git = GitRepository.open(dir)) {
            for (String[] merge : merges) {
                OverlapReport report = git.overlap(merge[1], merge[2]).run();
                GitVerdict verdict = gitMergeTree(dir, merge[1], merge[2]);
                criss += report.mergeBaseCount() > 1 ? 1 : 0;
                truePositive += !verdict.clean() && !report.clean() ? 1 : 0;
                falsePositive += verdict.clean() && !report.clean() ? 1 : 0;
                falseNegative += !verdict.clean() && report.clean() ? 1 : 0;
                if (!verdict.paths().equals(report.conflictingPaths())) {
                    pathsDiffer.add(merge[0] + " git=" + verdict.paths() + " ours=" + report.conflictingPaths());
                }
            }
        }
        double recall = truePositive + falseNegative == 0 ? 1 : (double) truePositive / (truePositive + falseNegative);
        double precision = truePositive + falsePositive == 0 ? 1 : (double) truePositive / (truePositive + falsePositive);
        String figures = String.format("%s %s: %d two-parent merges (%d with several merge bases), git conflicts on %d;"
                        + " trial merge: %d true, %d false conflicts, %d missed; recall %.3f, precision %.3f;"
                        + " conflicting paths differ on %d",
                dir, range, merges.size(), criss, truePositive + falseNegative, truePositive, falsePositive,
                falseNegative, recall, precision, pathsDiffer.size());
        System.out.println("real merges: " + figures);
        assertTrue(recall >= 0.99 && precision >= 0.98, figures + "; " + pathsDiffer);
        assertEquals(List.of(), pathsDiffer.subList(0, Math.min(20, pathsDiffer.size())), figures);
    }

    // the repository this build runs in (a linked worktree's objects and refs live in the common directory)
    private static String commonGitDir() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        return here.resolve(git(here, "rev-parse", "--git-common-dir").trim()).normalize().toString();
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " in " + dir + ": " + err);
        }
        return out;
    }

    static GitVerdict gitMergeTree(Path dir, String a, String b) throws Exception {
        Process p = new ProcessBuilder("git", "merge-tree", "--write-tree", "--name-only", "--no-messages", a, b)
                .directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        int code = p.waitFor();
        if (code > 1) {
            throw new IllegalStateException("git merge-tree failed: " + code);
        }
        TreeSet<String> paths = new TreeSet<>();
        String[] lines = out.split("\n");
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isEmpty()) {
                paths.add(lines[i]);
            }
        }
        return new GitVerdict(code == 0, List.copyOf(paths));
    }

    record GitVerdict(boolean clean, List<String> paths) {
    }

    /** A bare scratch repository grown by random commits and merges on a few branches. */
    private static final class History implements AutoCloseable {

        final Path dir;
        private final Repository repo;
        private final Random random;
        private final List<ObjectId> heads = new ArrayList<>();
        private final List<ObjectId> commits = new ArrayList<>();
        private int fileCounter;
        private int tokenCounter;
        private long time = 1_700_000_000L;

        History(long seed) throws IOException {
            this.dir = Files.createTempDirectory("stigmergy-differential-");
            this.repo = new FileRepository(dir.toFile());
            repo.create(true);
            this.random = new Random(seed);
        }

        void grow(int steps) throws Exception {
            TreeMap<String, List<String>> files = new TreeMap<>();
            for (int i = 0; i < 6; i++) {
                files.put(newPath(), freshLines(8 + random.nextInt(10)));
            }
            ObjectId root = commit(files, List.of());
            for (int i = 0; i < 4; i++) {
                heads.add(root);
            }
            for (int step = 0; step < steps; step++) {
                int x = random.nextInt(heads.size());
                int y = random.nextInt(heads.size());
                int roll = random.nextInt(10);
                if (roll < 6 || x == y) {
                    TreeMap<String, List<String>> tree = read(heads.get(x));
                    int edits = 1 + random.nextInt(3);
                    for (int e = 0; e < edits; e++) {
                        change(tree);
                    }
                    heads.set(x, commit(tree, List.of(heads.get(x))));
                } else if (roll < 8) {
                    heads.set(x, merge(heads.get(x), heads.get(y)));
                } else {
                    // criss-cross: each side merges the other's old head, resolving conflicts its own way
                    ObjectId hx = heads.get(x);
                    ObjectId hy = heads.get(y);
                    heads.set(x, merge(hx, hy));
                    heads.set(y, merge(hy, hx));
                }
            }
            for (int i = 0; i < heads.size(); i++) {
                RefUpdate update = repo.updateRef("refs/heads/b" + i);
                update.setNewObjectId(heads.get(i));
                update.forceUpdate();
            }
        }

        long objectFiles() throws IOException {
            try (var files = Files.walk(dir.resolve("objects"))) {
                return files.filter(Files::isRegularFile).count();
            }
        }

        String pick(Random pick) {
            // mostly recent commits: they carry the most history
            int n = commits.size();
            int index = pick.nextInt(3) == 0 ? pick.nextInt(n) : n - 1 - pick.nextInt(Math.min(n, 16));
            return commits.get(index).name();
        }

        private void change(TreeMap<String, List<String>> tree) {
            List<String> paths = new ArrayList<>(tree.keySet());
            String path = paths.get(random.nextInt(paths.size()));
            List<String> lines = tree.get(path);
            int roll = random.nextInt(20);
            if (roll < 9 && !lines.isEmpty()) {
                // one line, sometimes to a value another branch may pick too (an identical edit)
                int at = random.nextInt(lines.size());
                lines.set(at, random.nextBoolean() ? "same " + at : token());
                if (random.nextInt(3) == 0 && at + 1 < lines.size()) {
                    lines.set(at + 1, token()); // and the adjacent line
                }
            } else if (roll < 12) {
                lines.add(random.nextInt(lines.size() + 1), token());
            } else if (roll < 14 && lines.size() > 3) {
                lines.remove(random.nextInt(lines.size()));
            } else if (roll < 16) {
                String to = renamed(path);
                if (!tree.containsKey(to)) {
                    tree.remove(path);
                    if (random.nextBoolean() && !lines.isEmpty()) {
                        lines.set(random.nextInt(lines.size()), token());
                    }
                    tree.put(to, lines);
                }
            } else if (roll < 17 && tree.size() > 3) {
                tree.remove(path);
            } else {
                // a new file; paths from a small pool so that two branches may add the same one
                String added = "d" + random.nextInt(3) + "/new" + random.nextInt(4) + ".txt";
                if (!tree.containsKey(added)) {
                    tree.put(added, random.nextBoolean() ? freshLines(6) : sharedLines(added));
                }
            }
        }

        private String renamed(String path) {
            int slash = path.lastIndexOf('/');
            return path.substring(0, slash + 1) + "r" + random.nextInt(5) + "_" + path.substring(slash + 1);
        }

        private String newPath() {
            return "d" + random.nextInt(3) + "/f" + fileCounter++ + ".txt";
        }

        private String token() {
            return "t" + tokenCounter++;
        }

        private List<String> freshLines(int n) {
            List<String> lines = new ArrayList<>();
            int id = fileCounter++;
            for (int i = 0; i < n; i++) {
                lines.add("file " + id + " line " + i);
            }
            return lines;
        }

        private static List<String> sharedLines(String path) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                lines.add(path + " shared " + i);
            }
            return lines;
        }

        /** The merge of {@code ours} and {@code theirs}: git's tree, conflicts resolved per path at random. */
        private ObjectId merge(ObjectId ours, ObjectId theirs) throws Exception {
            Process p = new ProcessBuilder("git", "merge-tree", "--write-tree", ours.name(), theirs.name())
                    .directory(dir.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.getErrorStream().readAllBytes();
            int code = p.waitFor();
            if (code > 1) {
                throw new IllegalStateException("git merge-tree failed: " + code);
            }
            String[] lines = out.split("\n");
            ObjectId merged = ObjectId.fromString(lines[0]);
            TreeMap<String, List<String>> tree = readTree(merged);
            if (code == 1) {
                TreeMap<String, List<String>> preferred = read(random.nextBoolean() ? ours : theirs);
                for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                    String path = lines[i].substring(lines[i].indexOf('\t') + 1);
                    tree.remove(path);
                    if (preferred.containsKey(path)) {
                        tree.put(path, preferred.get(path));
                    }
                }
            }
            if (random.nextInt(3) == 0) {
                change(tree); // an evil merge: the resolution edits too
            }
            return commit(tree, List.of(ours, theirs));
        }

        GitVerdict gitMergeTree(String a, String b) throws Exception {
            return TrialMergeDifferentialTest.gitMergeTree(dir, a, b);
        }

        private TreeMap<String, List<String>> read(ObjectId commit) throws IOException {
            return readTree(repo.parseCommit(commit).getTree());
        }

        private TreeMap<String, List<String>> readTree(ObjectId tree) throws IOException {
            TreeMap<String, List<String>> files = new TreeMap<>();
            try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
                walk.addTree(tree);
                walk.setRecursive(true);
                while (walk.next()) {
                    String text = new String(reader.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
                    List<String> lines = new ArrayList<>(text.isEmpty() ? List.of() : List.of(text.split("\n", -1)));
                    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                        lines.remove(lines.size() - 1);
                    }
                    files.put(walk.getPathString(), lines);
                }
            }
            return files;
        }

        private ObjectId commit(TreeMap<String, List<String>> files, List<ObjectId> parents) throws IOException {
            try (ObjectInserter inserter = repo.newObjectInserter()) {
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                for (var file : files.entrySet()) {
                    StringBuilder text = new StringBuilder();
                    file.getValue().forEach(line -> text.append(line).append('\n'));
                    DirCacheEntry entry = new DirCacheEntry(file.getKey());
                    entry.setFileMode(FileMode.REGULAR_FILE);
                    entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, text.toString().getBytes(StandardCharsets.UTF_8)));
                    builder.add(entry);
                }
                builder.finish();
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(index.writeTree(inserter));
                commit.setParentIds(parents);
                PersonIdent who = new PersonIdent(WHO, Instant.ofEpochSecond(time += 60), ZoneOffset.UTC);
                commit.setAuthor(who);
                commit.setCommitter(who);
                commit.setMessage("c" + commits.size());
                ObjectId id = inserter.insert(commit);
                inserter.flush();
                commits.add(id);
                return id;
            }
        }

        @Override
        public void close() throws IOException {
            repo.close();
            if (Boolean.getBoolean("differential.keep")) {
                System.out.println("kept " + dir);
                return;
            }
            deleteRecursively(dir.toFile());
        }

        private static void deleteRecursively(File file) {
            File[] children = file.listFiles();
            if (children != null) {
                for (File child : children) {
                    deleteRecursively(child);
                }
            }
            file.delete();
        }
    }
}
