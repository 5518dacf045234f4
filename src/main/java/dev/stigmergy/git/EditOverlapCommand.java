package dev.stigmergy.git;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares what two refs change since their merge base: the files both touch (renames followed), their
 * hunks in base coordinates, which hunks collide, and a trial merge of each shared file with JGit's
 * three-way {@link MergeAlgorithm} (the content merge of {@code ResolveMerger}), following renames the way
 * {@code git merge-tree --write-tree} does. Nothing is written to the repository.
 */
public final class EditOverlapCommand {

    private final GitRepository git;
    private final String refA;
    private final String refB;
    private int contextLines;

    EditOverlapCommand(GitRepository git, String refA, String refB) {
        this.git = git;
        this.refA = refA;
        this.refB = refB;
    }

    /** Widen hunk collision by this many lines on each side; default 0 (overlapping or touching hunks collide). */
    public EditOverlapCommand contextLines(int lines) {
        if (lines < 0) {
            throw new IllegalArgumentException("contextLines must be ≥ 0");
        }
        this.contextLines = lines;
        return this;
    }

    /**
     * @throws UnknownRefException a ref does not resolve (400)
     * @throws GitReadException    the repository cannot be read
     */
    public OverlapReport run() {
        try (RevWalk walk = new RevWalk(git.repository()); ObjectReader reader = git.repository().newObjectReader()) {
            RevCommit a = git.commit(walk, refA);
            RevCommit b = git.commit(walk, refB);
            RevCommit base = mergeBase(a, b);
            Map<String, DiffEntry> changesA = byBasePath(git.diff(reader, base, a));
            Map<String, DiffEntry> changesB = byBasePath(git.diff(reader, base, b));

            List<FileOverlap> files = new ArrayList<>();
            TreeSet<String> conflicting = new TreeSet<>();
            try (DiffFormatter formatter = git.formatter()) {
                for (Map.Entry<String, DiffEntry> e : changesA.entrySet()) {
                    DiffEntry ea = e.getValue();
                    DiffEntry eb = changesB.get(e.getKey());
                    if (eb == null) {
                        continue;
                    }
                    List<Hunk> hunksA = hunks(formatter, ea);
                    List<Hunk> hunksB = hunks(formatter, eb);
                    boolean conflicts = conflicts(reader, ea, eb);
                    if (conflicts) {
                        conflicting.add(ea.getChangeType() == DiffEntry.ChangeType.DELETE ? ea.getOldPath() : ea.getNewPath());
                    }
                    files.add(new FileOverlap(basePath(ea), pathOn(ea), pathOn(eb), hunksA, hunksB,
                            colliding(ea, hunksA, eb, hunksB), conflicts));
                }
            }
            return new OverlapReport(refA, refB, base == null ? null : base.name(), paths(changesA), paths(changesB),
                    files, List.copyOf(conflicting), conflicting.isEmpty());
        } catch (IOException e) {
            throw new GitReadException("cannot compare " + refA + " with " + refB, e);
        }
    }

    private RevCommit mergeBase(RevCommit a, RevCommit b) throws IOException {
        try (RevWalk walk = new RevWalk(git.repository())) {
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(walk.parseCommit(a));
            walk.markStart(walk.parseCommit(b));
            return walk.next();
        }
    }

    // key every change by the path it had at the merge base, so a rename on one side meets an edit on the other
    private static Map<String, DiffEntry> byBasePath(List<DiffEntry> entries) {
        Map<String, DiffEntry> byPath = new LinkedHashMap<>();
        for (DiffEntry entry : entries) {
            byPath.put(entry.getChangeType() == DiffEntry.ChangeType.ADD ? entry.getNewPath() : entry.getOldPath(), entry);
        }
        return byPath;
    }

    private static List<String> paths(Map<String, DiffEntry> changes) {
        TreeSet<String> paths = new TreeSet<>();
        for (DiffEntry entry : changes.values()) {
            paths.add(entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath() : entry.getNewPath());
        }
        return List.copyOf(paths);
    }

    private static String basePath(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.ADD ? null : entry.getOldPath();
    }

    private static String pathOn(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.DELETE ? null : entry.getNewPath();
    }

    private static boolean wholeFile(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.ADD || entry.getChangeType() == DiffEntry.ChangeType.DELETE;
    }

    private static List<Hunk> hunks(DiffFormatter formatter, DiffEntry entry) throws IOException {
        if (wholeFile(entry)) {
            return List.of();
        }
        List<Hunk> hunks = new ArrayList<>();
        for (Edit edit : formatter.toFileHeader(entry).toEditList()) {
            hunks.add(new Hunk(edit.getBeginA() + 1, edit.getEndA() - edit.getBeginA()));
        }
        return hunks;
    }

    private List<List<Hunk>> colliding(DiffEntry ea, List<Hunk> hunksA, DiffEntry eb, List<Hunk> hunksB) {
        List<List<Hunk>> pairs = new ArrayList<>();
        // a whole-file change (add, delete) has no hunks and collides with every hunk of the other side
        List<Hunk> sideA = wholeFile(ea) ? List.of(new Hunk(1, Integer.MAX_VALUE / 2)) : hunksA;
        List<Hunk> sideB = wholeFile(eb) ? List.of(new Hunk(1, Integer.MAX_VALUE / 2)) : hunksB;
        for (Hunk x : sideA) {
            for (Hunk y : sideB) {
                if (x.collides(y, contextLines)) {
                    pairs.add(List.of(x, y));
                }
            }
        }
        return pairs;
    }

    private static boolean conflicts(ObjectReader reader, DiffEntry ea, DiffEntry eb) throws IOException {
        boolean deletedA = ea.getChangeType() == DiffEntry.ChangeType.DELETE;
        boolean deletedB = eb.getChangeType() == DiffEntry.ChangeType.DELETE;
        if (deletedA || deletedB) {
            return deletedA != deletedB; // modify/delete conflicts; delete/delete agrees
        }
        boolean renamedA = ea.getChangeType() == DiffEntry.ChangeType.RENAME;
        boolean renamedB = eb.getChangeType() == DiffEntry.ChangeType.RENAME;
        if (renamedA && renamedB && !ea.getNewPath().equals(eb.getNewPath())) {
            return true; // renamed to two different paths
        }
        if (ea.getNewId().equals(eb.getNewId())) {
            return false; // both sides made the same content
        }
        RawText base = ea.getChangeType() == DiffEntry.ChangeType.ADD ? RawText.EMPTY_TEXT : text(reader, ea.getOldId());
        RawText ours = text(reader, ea.getNewId());
        RawText theirs = text(reader, eb.getNewId());
        if (RawText.isBinary(ours.getRawContent()) || RawText.isBinary(theirs.getRawContent())) {
            return true;
        }
        return new MergeAlgorithm().merge(RawTextComparator.DEFAULT, base, ours, theirs).containsConflicts();
    }

    private static RawText text(ObjectReader reader, AbbreviatedObjectId id) throws IOException {
        return new RawText(reader.open(id.toObjectId()).getCachedBytes(16 * 1024 * 1024));
    }
}
