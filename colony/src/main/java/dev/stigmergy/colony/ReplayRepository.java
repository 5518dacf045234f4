package dev.stigmergy.colony;

import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ResolveMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The colony's scratch clone: a bare repository holding the replayed commits, the integration branch the
 * workers build, and the scout's job refs. The original repository is only read (one fetch of its HEAD).
 * Safe for concurrent use: every operation opens its own walk, reader and inserter; the integration branch
 * moves only by compare-and-set.
 */
final class ReplayRepository implements AutoCloseable {

    /** Where the workers integrate. */
    static final String INTEGRATION = "refs/heads/colony/integration";
    private static final String TIP = "refs/heads/colony/tip";
    private static final String JOBS = "refs/heads/colony/jobs/";

    private final Repository repo;
    private final Path dir;
    private final ObjectId tip;
    private final ObjectId base;
    private final List<RevCommit> commits;
    private final String run;
    private ChangeScan scan;
    private final java.util.concurrent.locks.ReentrantLock integrating = new java.util.concurrent.locks.ReentrantLock(true);
    /** Compare-and-set failures of the integration branch: another worker moved it between read and write. */
    final java.util.concurrent.atomic.AtomicInteger casRetries = new java.util.concurrent.atomic.AtomicInteger();

    private ReplayRepository(Repository repo, Path dir, ObjectId tip, ObjectId base, List<RevCommit> commits, String run) {
        this.repo = repo;
        this.dir = dir;
        this.tip = tip;
        this.base = base;
        this.commits = commits;
        this.run = run;
    }

    /**
     * Clones the HEAD of {@code source} into {@code scratch} (bare) and reads its last {@code count} first-parent
     * commits as jobs, oldest first; fewer when the history is shorter. The integration branch starts at the
     * oldest job's parent (an empty-tree commit when that job is the root).
     *
     * @param source  a working tree or git directory; its enclosing repository is used
     * @param run     suffix of every entity key of this run
     */
    static ReplayRepository prepare(Path source, Path scratch, int count, String run) throws IOException, GitAPIException {
        FileRepositoryBuilder found = new FileRepositoryBuilder().findGitDir(source.toFile());
        if (found.getGitDir() == null) {
            throw new IOException("no git repository at or above " + source);
        }
        found.setMustExist(true).setup(); // a linked worktree's objects are in its common directory
        File objects = found.getObjectDirectory();
        ObjectId head;
        try (Repository original = found.build()) {
            head = original.resolve("HEAD");
        }
        if (head == null) {
            throw new IOException("the repository at " + source + " has no commit");
        }
        Repository repo;
        try (Git git = Git.init().setBare(true).setDirectory(scratch.toFile()).call()) {
            repo = git.getRepository();
            repo.incrementOpen(); // keep it past the try: closed by close()
        }
        // borrow the original's objects (git clone --shared) instead of copying them: nothing to fetch, whatever
        // the repository's size; the scratch clone's own objects (integration commits) are written to it alone
        File alternates = scratch.resolve("objects").resolve("info").resolve("alternates").toFile();
        java.nio.file.Files.createDirectories(alternates.getParentFile().toPath());
        java.nio.file.Files.writeString(alternates.toPath(), objects.getAbsolutePath() + "\n");
        repo.close();
        repo = new FileRepositoryBuilder().setGitDir(scratch.toFile()).setMustExist(true).build();
        RefUpdate tipRef = repo.updateRef(TIP);
        tipRef.setNewObjectId(head);
        tipRef.setForceUpdate(true);
        tipRef.update();
        ObjectId tip = head;
        List<RevCommit> commits = new ArrayList<>();
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setFirstParent(true);
            walk.markStart(walk.parseCommit(tip));
            for (RevCommit c = walk.next(); c != null && commits.size() < count; c = walk.next()) {
                commits.add(c);
            }
            for (RevCommit c : commits) {
                if (c.getParentCount() > 0) {
                    walk.parseHeaders(c.getParent(0)); // its tree, for the scan's tree diff
                }
            }
        }
        Collections.reverse(commits);
        ObjectId base = commits.get(0).getParentCount() > 0 ? commits.get(0).getParent(0).copy() : emptyRoot(repo);
        RefUpdate update = repo.updateRef(INTEGRATION);
        update.setNewObjectId(base);
        update.setForceUpdate(true);
        update.update();
        return new ReplayRepository(repo, scratch, tip, base, List.copyOf(commits), run);
    }

    /** The scan of the replayed commits' changes: paths now, hunks and jobs on demand (the scout's source). */
    ChangeScan scan() throws IOException {
        synchronized (this) {
            if (scan == null) {
                scan = ChangeScan.of(repo, commits, run);
            }
            return scan;
        }
    }

    /** How many commits the replay has. */
    int size() {
        return commits.size();
    }

    Path dir() {
        return dir;
    }

    /** Every job, oldest first (the whole scan: for the baseline and tests; the scout goes job by job). */
    List<Job> jobs() throws IOException {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            jobs.add(scan().job(i));
        }
        return jobs;
    }

    /** The replayed tip, whose tree the integration branch must end with. */
    ObjectId tip() {
        return tip;
    }

    /** Current commit of the integration branch. */
    ObjectId head() throws IOException {
        return repo.exactRef(INTEGRATION).getObjectId();
    }

    /** Whether the integration branch's tree is the tip's tree (same tree id: byte-identical content). */
    boolean identicalToTip() throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(head()).getTree().equals(walk.parseCommit(tip).getTree());
        }
    }

    /**
     * The scout's job ref: a commit on the integration branch's starting point whose tree takes the job's
     * version of every path the job touches, so that the service's edit-overlaps compares jobs on one base.
     *
     * @return the ref name, {@code refs/heads/colony/jobs/<shortSha>}
     */
    String writeJobRef(Job job) throws IOException {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter();
             ObjectReader reader = repo.newObjectReader()) {
            RevCommit start = walk.parseCommit(base);
            RevCommit commit = walk.parseCommit(job.commit());
            DirCache index = DirCache.newInCore();
            DirCacheBuilder builder = index.builder();
            builder.addTree(new byte[0], 0, reader, start.getTree());
            builder.finish();
            DirCacheEditor editor = index.editor();
            for (String path : job.paths()) {
                try (TreeWalk entry = TreeWalk.forPath(repo, path, commit.getTree())) {
                    if (entry == null) {
                        editor.add(new DirCacheEditor.DeletePath(path));
                    } else {
                        ObjectId blob = entry.getObjectId(0);
                        var mode = entry.getFileMode(0);
                        editor.add(new DirCacheEditor.PathEdit(path) {
                            @Override
                            public void apply(DirCacheEntry e) {
                                e.setObjectId(blob);
                                e.setFileMode(mode);
                            }
                        });
                    }
                }
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);
            ObjectId id = insertCommit(inserter, tree, start, commit.getAuthorIdent(), "job " + job.shortSha());
            inserter.flush();
            String ref = JOBS + job.shortSha();
            RefUpdate update = repo.updateRef(ref);
            update.setNewObjectId(id);
            update.setForceUpdate(true);
            update.update();
            return ref;
        }
    }

    /**
     * Applies the job's real change onto the integration head: an in-core three-way merge (base = the commit's
     * parent, ours = head, theirs = the commit, as {@code git cherry-pick}) and a compare-and-set of the
     * integration branch, merged again on a moved head.
     *
     * @return the integrated commit, or the paths that conflicted (nothing written to the branch then)
     */
    Applied apply(Job job) throws IOException {
        // one merge at a time in this process: workers racing on the compare-and-set only redo each other's merges
        integrating.lock();
        try {
            while (true) {
                ObjectId head = head();
                try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
                    RevCommit ours = walk.parseCommit(head);
                    RevCommit theirs = walk.parseCommit(job.commit());
                    ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
                    merger.setBase(job.parent() == null ? emptyTree(inserter) : walk.parseCommit(job.parent()).getTree());
                    if (!merger.merge(ours, theirs)) {
                        List<String> paths = new ArrayList<>(merger.getUnmergedPaths());
                        if (merger.getFailingPaths() != null) {
                            paths.addAll(merger.getFailingPaths().keySet());
                        }
                        return new Applied(null, List.copyOf(new TreeSet<>(paths)), false);
                    }
                    if (merger.getResultTreeId().equals(ours.getTree()) && !job.paths().isEmpty()) {
                        return new Applied(head, List.of(), true); // its change is in the head already
                    }
                    ObjectId commit = insertCommit(inserter, merger.getResultTreeId(), ours, theirs.getAuthorIdent(),
                            theirs.getFullMessage());
                    inserter.flush();
                    RefUpdate update = repo.updateRef(INTEGRATION);
                    update.setExpectedOldObjectId(head);
                    update.setNewObjectId(commit);
                    RefUpdate.Result result = update.update();
                    if (result == RefUpdate.Result.FAST_FORWARD || result == RefUpdate.Result.NEW
                            || result == RefUpdate.Result.FORCED) {
                        return new Applied(commit, List.of(), false);
                    }
                    // LOCK_FAILURE: the head moved since we read it (another process); merge again on the new one
                    casRetries.incrementAndGet();
                }
            }
        } finally {
            integrating.unlock();
        }
    }

    /**
     * Merges the oldest job onto the integration branch's start in core, as its first integration will, and
     * writes nothing to the branch: run while the service starts, it loads and compiles JGit's merge path, which
     * took seconds on a cold JVM at the first integration (on the critical path of every run with a killed worker).
     */
    void warmUp() throws IOException {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit oldest = commits.get(0);
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(repo, true);
            merger.setBase(oldest.getParentCount() == 0 ? emptyTree(inserter) : walk.parseCommit(oldest.getParent(0)).getTree());
            merger.merge(walk.parseCommit(base), walk.parseCommit(oldest));
        }
    }

    /**
     * Whether {@code integrated} holds the job's change: the original commit's version of every path the job
     * touches (same blob and mode, or absent in both); or, for a job integrated beside hunks of jobs that history
     * put before or after it, exactly the commit's change applied to the integration head it was made on (the
     * in-core merge of the commit onto {@code integrated}'s first parent, on the commit's parent, gives its tree);
     * or a tree that applying the commit's change again leaves as it is. What the validator checks. The second
     * test comes before the third because the third can conflict on a correct integration: with an earlier job's
     * line missing, git's histogram diff may align a rewritten block differently on the two sides.
     */
    boolean holdsChange(Job job, ObjectId integrated) throws IOException {
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            RevCommit mine = walk.parseCommit(integrated);
            RevCommit original = walk.parseCommit(job.commit());
            boolean same = true;
            for (String path : job.paths()) {
                same &= Objects.equals(entry(path, mine), entry(path, original));
            }
            if (same) {
                return true;
            }
            if (mine.getParentCount() == 1) {
                ResolveMerger onto = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(inserter, repo.getConfig());
                onto.setBase(job.parent() == null ? emptyTree(inserter) : walk.parseCommit(job.parent()).getTree());
                if (onto.merge(walk.parseCommit(mine.getParent(0)), original) && onto.getResultTreeId().equals(mine.getTree())) {
                    return true;
                }
            }
            ResolveMerger merger = (ResolveMerger) MergeStrategy.RECURSIVE.newMerger(inserter, repo.getConfig());
            merger.setBase(job.parent() == null ? emptyTree(inserter) : walk.parseCommit(job.parent()).getTree());
            return merger.merge(mine, original) && merger.getResultTreeId().equals(mine.getTree());
        }
    }

    private String entry(String path, RevCommit commit) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            return walk == null ? null : walk.getObjectId(0).name() + " " + walk.getFileMode(0);
        }
    }

    /**
     * Result of {@link #apply}.
     *
     * @param commit    the new integration commit, {@code null} on a conflict; the unchanged head when {@code present}
     * @param conflicts paths that conflicted, sorted; empty when clean
     * @param present   the head held the job's change already (nothing written)
     */
    record Applied(ObjectId commit, List<String> conflicts, boolean present) {
        boolean clean() {
            return commit != null;
        }
    }

    /** The service's longest entity title, in UTF-16 units ({@code PutEntity.title}). */
    static final int TITLE_MAX = 500;

    /** A commit subject as an entity title: one longer than the service takes is cut, with an ellipsis. */
    static String title(String subject) {
        if (subject.length() <= TITLE_MAX) {
            return subject;
        }
        int end = TITLE_MAX - 1;
        if (Character.isHighSurrogate(subject.charAt(end - 1))) {
            end--; // never half a character
        }
        return subject.substring(0, end) + "…";
    }

    private static ObjectId emptyTree(ObjectInserter inserter) throws IOException {
        return inserter.insert(new TreeFormatter());
    }

    private static ObjectId emptyRoot(Repository repo) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            PersonIdent who = new PersonIdent("stigmergy-colony", "colony@stigmergy.dev");
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(emptyTree(inserter));
            commit.setAuthor(who);
            commit.setCommitter(who);
            commit.setMessage("empty tree: the parent of the replayed root commit\n");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static ObjectId insertCommit(ObjectInserter inserter, ObjectId tree, ObjectId parent, PersonIdent author,
                                         String message) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentId(parent);
        commit.setAuthor(author);
        commit.setCommitter(new PersonIdent("stigmergy-colony", "colony@stigmergy.dev"));
        commit.setMessage(message);
        return inserter.insert(commit);
    }

    @Override
    public void close() {
        repo.close();
    }

    static String describe(ObjectId id) {
        return id == null ? "-" : id.abbreviate(7).name();
    }
}
