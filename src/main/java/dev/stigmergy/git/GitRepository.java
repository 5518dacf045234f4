package dev.stigmergy.git;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.io.DisabledOutputStream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Read-only access to one git repository (a working tree's {@code .git} or a bare repository). Queries
 * follow JGit's command shape: required inputs at the factory, options chained, one {@code run()}.
 */
public final class GitRepository implements AutoCloseable {

    // git's default rename threshold (-M50%); JGit's own default is 60
    private static final int GIT_RENAME_SCORE = 50;

    private final Repository repository;

    private GitRepository(Repository repository) {
        this.repository = repository;
    }

    /**
     * Opens the repository at {@code location}: a working tree (its {@code .git} is used) or a bare repository.
     * The instance comes from JGit's {@link RepositoryCache}: its pack indexes and refs stay loaded between calls
     * (re-reading a large repository's pack index on every request costs more than the comparison itself), and
     * {@link #close} only releases this use; the cache evicts the repository after a period without use.
     *
     * @throws GitReadException nothing readable as a repository is there
     */
    public static GitRepository open(Path location) {
        Path gitDir = Files.isDirectory(location.resolve(".git")) ? location.resolve(".git") : location;
        try {
            return new GitRepository(RepositoryCache.open(RepositoryCache.FileKey.exact(gitDir.toFile(), FS.DETECTED), true));
        } catch (IOException | IllegalArgumentException e) {
            throw new GitReadException("no git repository at " + location, e);
        }
    }

    /**
     * What two refs both change since their merge base, their colliding hunks and a trial merge.
     *
     * @param refA a branch, tag or commit id
     * @param refB another one
     */
    public EditOverlapCommand overlap(String refA, String refB) {
        return new EditOverlapCommand(this, refA, refB);
    }

    /**
     * Paths that the commits after {@code fromRef} ({@code null}: from the empty tree) up to {@code toRef} change, both sides of every rename
     * included (what a pre-push hook must check).
     *
     * @throws UnknownRefException a ref does not resolve (400)
     */
    public List<String> changedPaths(String fromRef, String toRef) {
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            RevCommit from = fromRef == null ? null : commit(walk, fromRef);
            RevCommit to = commit(walk, toRef);
            TreeSet<String> paths = new TreeSet<>();
            for (DiffEntry entry : diff(reader, from, to)) {
                if (entry.getChangeType() != DiffEntry.ChangeType.ADD) {
                    paths.add(entry.getOldPath());
                }
                if (entry.getChangeType() != DiffEntry.ChangeType.DELETE) {
                    paths.add(entry.getNewPath());
                }
            }
            return List.copyOf(paths);
        } catch (IOException e) {
            throw new GitReadException("cannot diff " + fromRef + ".." + toRef, e);
        }
    }

    /**
     * What the commits after {@code fromRef} up to {@code toRef} change, per path, as the hunks of
     * {@code git diff fromRef toRef} in the coordinates of {@code fromRef}'s side (the version other agents
     * declared their line ranges on). An empty list is the whole file: an added, deleted or binary file, and both
     * sides of a rename. The diff algorithm is the repository's ({@code diff.algorithm}, default histogram).
     *
     * @return canonical repo-relative path to its hunks, in path order
     * @throws UnknownRefException a ref does not resolve (400)
     */
    public java.util.SortedMap<String, List<Hunk>> changedHunks(String fromRef, String toRef) {
        try (RevWalk walk = new RevWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            RevCommit from = commit(walk, fromRef);
            RevCommit to = commit(walk, toRef);
            org.eclipse.jgit.diff.DiffAlgorithm algorithm = org.eclipse.jgit.diff.DiffAlgorithm.getAlgorithm(
                    repository.getConfig().getEnum(org.eclipse.jgit.lib.ConfigConstants.CONFIG_DIFF_SECTION, null,
                            org.eclipse.jgit.lib.ConfigConstants.CONFIG_KEY_ALGORITHM,
                            org.eclipse.jgit.diff.DiffAlgorithm.SupportedAlgorithm.HISTOGRAM));
            java.util.TreeMap<String, List<Hunk>> changed = new java.util.TreeMap<>();
            for (DiffEntry entry : diff(reader, from, to)) {
                if (entry.getChangeType() != DiffEntry.ChangeType.MODIFY) {
                    if (entry.getChangeType() != DiffEntry.ChangeType.ADD) {
                        changed.put(entry.getOldPath(), List.of());
                    }
                    if (entry.getChangeType() != DiffEntry.ChangeType.DELETE) {
                        changed.put(entry.getNewPath(), List.of());
                    }
                    continue;
                }
                byte[] before = reader.open(entry.getOldId().toObjectId()).getCachedBytes(16 * 1024 * 1024);
                byte[] after = reader.open(entry.getNewId().toObjectId()).getCachedBytes(16 * 1024 * 1024);
                if (org.eclipse.jgit.diff.RawText.isBinary(before) || org.eclipse.jgit.diff.RawText.isBinary(after)) {
                    changed.put(entry.getNewPath(), List.of());
                    continue;
                }
                List<Hunk> hunks = new java.util.ArrayList<>();
                for (org.eclipse.jgit.diff.Edit edit : algorithm.diff(RawTextComparator.DEFAULT,
                        new org.eclipse.jgit.diff.RawText(before), new org.eclipse.jgit.diff.RawText(after))) {
                    hunks.add(new Hunk(edit.getBeginA() + 1, edit.getEndA() - edit.getBeginA()));
                }
                changed.put(entry.getNewPath(), List.copyOf(hunks));
            }
            return changed;
        } catch (IOException e) {
            throw new GitReadException("cannot diff " + fromRef + ".." + toRef, e);
        }
    }

    /**
     * Paths that {@code ref} changes since its merge base with {@code base} (both sides of every rename), as a
     * merge request of {@code ref} into {@code base} would change them. With several merge bases the diff starts
     * from the first one JGit finds; with none, from the empty tree.
     *
     * @throws UnknownRefException a ref does not resolve (400)
     */
    public List<String> changedSinceMergeBase(String base, String ref) {
        try (RevWalk walk = new RevWalk(repository)) {
            RevCommit tip = commit(walk, ref);
            walk.setRevFilter(org.eclipse.jgit.revwalk.filter.RevFilter.MERGE_BASE);
            walk.markStart(commit(walk, base));
            walk.markStart(tip);
            RevCommit mergeBase = walk.next();
            return changedPaths(mergeBase == null ? null : mergeBase.name(), tip.name());
        } catch (IOException e) {
            throw new GitReadException("cannot diff " + ref + " against " + base, e);
        }
    }

    /**
     * Every file path in the tree of {@code ref}, sorted (for expanding patterns against the repository).
     *
     * @throws UnknownRefException the ref does not resolve (400)
     */
    public List<String> files(String ref) {
        try (RevWalk walk = new RevWalk(repository); TreeWalk tree = new TreeWalk(repository)) {
            tree.addTree(commit(walk, ref).getTree());
            tree.setRecursive(true);
            List<String> paths = new ArrayList<>();
            while (tree.next()) {
                paths.add(tree.getPathString());
            }
            return paths;
        } catch (IOException e) {
            throw new GitReadException("cannot read the tree of " + ref, e);
        }
    }

    /** The commit id {@code ref} resolves to. @throws UnknownRefException it resolves to nothing (400) */
    public String resolve(String ref) {
        try (RevWalk walk = new RevWalk(repository)) {
            return commit(walk, ref).name();
        } catch (IOException e) {
            throw new GitReadException("cannot resolve " + ref, e);
        }
    }

    /**
     * The ref standing for the repository's default branch: {@code HEAD} when it names a commit; else, in a bare
     * repository whose {@code HEAD} is unborn ({@code git init --bare} names {@code master} while pushes go to
     * {@code main}), {@code main}, {@code master} or the only branch, in that order; else {@code HEAD}.
     */
    public String defaultRef() {
        try {
            if (repository.resolve("HEAD^{commit}") != null) {
                return "HEAD";
            }
            for (String name : List.of("main", "master")) {
                if (repository.exactRef("refs/heads/" + name) != null) {
                    return name;
                }
            }
            List<org.eclipse.jgit.lib.Ref> heads = repository.getRefDatabase().getRefsByPrefix("refs/heads/");
            return heads.size() == 1 ? Repository.shortenRefName(heads.get(0).getName()) : "HEAD";
        } catch (IOException | org.eclipse.jgit.errors.RevisionSyntaxException e) {
            throw new GitReadException("cannot read the refs", e);
        }
    }

    /**
     * Every ref and the commit it points to, in one read of the ref database (annotated tags peeled; refs to
     * other objects left out).
     *
     * @throws GitReadException the refs cannot be read
     */
    public RefSnapshot refs() {
        try (RevWalk walk = new RevWalk(repository)) {
            java.util.Map<String, String> commits = new java.util.TreeMap<>();
            for (org.eclipse.jgit.lib.Ref ref : repository.getRefDatabase().getRefs()) {
                org.eclipse.jgit.lib.Ref peeled = repository.getRefDatabase().peel(ref);
                ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : peeled.getObjectId();
                if (id != null && walk.parseAny(id) instanceof RevCommit commit) {
                    commits.put(ref.getName(), commit.name());
                }
            }
            org.eclipse.jgit.lib.Ref head = repository.exactRef("HEAD");
            if (head != null && head.getObjectId() != null) {
                commits.put("HEAD", head.getObjectId().name());
            }
            return new RefSnapshot(java.util.Collections.unmodifiableMap(commits));
        } catch (IOException e) {
            throw new GitReadException("cannot read the refs", e);
        }
    }

    Repository repository() {
        return repository;
    }

    RevCommit commit(RevWalk walk, String ref) throws IOException {
        if (ref == null || ref.isBlank() || ref.length() > 255 || ref.startsWith("-")) {
            throw new UnknownRefException(String.valueOf(ref));
        }
        ObjectId id;
        try {
            id = repository.resolve(ref + "^{commit}");
        } catch (org.eclipse.jgit.errors.RevisionSyntaxException | org.eclipse.jgit.errors.AmbiguousObjectException e) {
            throw new UnknownRefException(ref);
        }
        if (id == null) {
            throw new UnknownRefException(ref);
        }
        return walk.parseCommit(id);
    }

    /** The changes from {@code base} (null: the empty tree) to {@code tip}, renames detected. */
    List<DiffEntry> diff(ObjectReader reader, RevCommit base, RevCommit tip) throws IOException {
        return diff(reader, base == null ? null : base.getTree(), tip.getTree());
    }

    /**
     * The changes from tree {@code base} (null: the empty tree) to tree {@code tip}, read through {@code reader}
     * (which may see in-memory objects), renames detected with git's default similarity threshold (50 %).
     */
    List<DiffEntry> diff(ObjectReader reader, AnyObjectId base, AnyObjectId tip) throws IOException {
        try (DiffFormatter formatter = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
            formatter.setReader(reader, repository.getConfig());
            formatter.setDiffComparator(RawTextComparator.DEFAULT);
            formatter.setDetectRenames(true);
            formatter.getRenameDetector().setRenameScore(GIT_RENAME_SCORE);
            return formatter.scan(base == null ? new EmptyTreeIterator() : new CanonicalTreeParser(null, reader, base),
                    new CanonicalTreeParser(null, reader, tip));
        }
    }

    @Override
    public void close() {
        repository.close();
    }
}
