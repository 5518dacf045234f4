package dev.stigmergy.git;

import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

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
 * {@code git merge-tree --write-tree} does. When the refs have several merge bases (criss-cross history), both
 * sides are compared with the virtual base made by merging those bases recursively, as git does (see
 * {@link VirtualMergeBase}). Nothing is written to the repository: the virtual base lives in memory.
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
        try (RevWalk walk = new RevWalk(git.repository()); InCoreObjects inCore = new InCoreObjects(git.repository());
             ObjectReader reader = inCore.newReader()) {
            RevCommit a = git.commit(walk, refA);
            RevCommit b = git.commit(walk, refB);
            DiffAlgorithm algorithm = DiffAlgorithm.getAlgorithm(git.repository().getConfig().getEnum(
                    ConfigConstants.CONFIG_DIFF_SECTION, null, ConfigConstants.CONFIG_KEY_ALGORITHM,
                    DiffAlgorithm.SupportedAlgorithm.HISTOGRAM));
            VirtualMergeBase virtual = new VirtualMergeBase(git, inCore, reader, algorithm);
            List<RevCommit> mergeBases = virtual.mergeBases(a, b);
            List<String> bases = mergeBases.stream().map(RevCommit::name).toList();
            // several merge bases (criss-cross history): compare against their recursive merge, as git does
            ObjectId baseTree = virtual.tree(mergeBases);
            Map<String, DiffEntry> changesA = byBasePath(git.diff(reader, baseTree, a.getTree()));
            Map<String, DiffEntry> changesB = byBasePath(git.diff(reader, baseTree, b.getTree()));

            List<FileOverlap> files = new ArrayList<>();
            TreeSet<String> conflicting = new TreeSet<>();
            for (Map.Entry<String, DiffEntry> e : changesA.entrySet()) {
                DiffEntry ea = e.getValue();
                DiffEntry eb = changesB.get(e.getKey());
                if (eb == null) {
                    continue;
                }
                FileOverlap file = compare(reader, algorithm, ea, eb);
                if (file.conflicts()) {
                    conflicting.addAll(conflictingNames(ea, eb));
                }
                files.add(file);
            }
            return new OverlapReport(refA, refB, bases.size() == 1 ? bases.get(0) : null, bases.size(), bases,
                    paths(changesA), paths(changesB), files, List.copyOf(conflicting), conflicting.isEmpty());
        } catch (IOException e) {
            throw new GitReadException("cannot compare " + refA + " with " + refB, e);
        }
    }

    // the names git lists for a conflicting file: where the merge leaves it; a file renamed apart on the two sides
    // is listed under both new names and its old one (git leaves the base version there, at stage 1)
    private static List<String> conflictingNames(DiffEntry ea, DiffEntry eb) {
        boolean renamedA = ea.getChangeType() == DiffEntry.ChangeType.RENAME;
        boolean renamedB = eb.getChangeType() == DiffEntry.ChangeType.RENAME;
        if (renamedA && renamedB) {
            return ea.getNewPath().equals(eb.getNewPath()) ? List.of(ea.getNewPath())
                    : List.of(ea.getOldPath(), ea.getNewPath(), eb.getNewPath());
        }
        if (renamedA || renamedB) {
            return List.of((renamedA ? ea : eb).getNewPath());
        }
        String onA = pathOn(ea);
        String onB = pathOn(eb);
        return List.of(onA != null ? onA : onB != null ? onB : ea.getOldPath());
    }

    // key every change by the path it had at the merge base, so a rename on one side meets an edit on the other
    // (a copy is keyed by its new path: its source is still there, possibly changed by an entry of its own)
    static Map<String, DiffEntry> byBasePath(List<DiffEntry> entries) {
        Map<String, DiffEntry> byPath = new LinkedHashMap<>();
        for (DiffEntry entry : entries) {
            boolean added = entry.getChangeType() == DiffEntry.ChangeType.ADD || entry.getChangeType() == DiffEntry.ChangeType.COPY;
            byPath.put(added ? entry.getNewPath() : entry.getOldPath(), entry);
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

    /**
     * Hunks, collisions and trial merge of one file both sides change. Each blob is read once and each side
     * diffed once; the three-way merge runs only when the two sides' hunks overlap or touch, because
     * {@link MergeAlgorithm} reports a conflict only for such edits (with the same diff algorithm, its own
     * edits are these hunks) unless one side emptied the file.
     */
    private FileOverlap compare(ObjectReader reader, DiffAlgorithm algorithm, DiffEntry ea, DiffEntry eb) throws IOException {
        boolean deletedA = ea.getChangeType() == DiffEntry.ChangeType.DELETE;
        boolean deletedB = eb.getChangeType() == DiffEntry.ChangeType.DELETE;
        boolean renamedA = ea.getChangeType() == DiffEntry.ChangeType.RENAME;
        boolean renamedB = eb.getChangeType() == DiffEntry.ChangeType.RENAME;
        boolean added = ea.getChangeType() == DiffEntry.ChangeType.ADD; // both sides added: no base to diff
        RawText base = added || (deletedA && deletedB) ? RawText.EMPTY_TEXT : text(reader, ea.getOldId());
        RawText ours = deletedA ? RawText.EMPTY_TEXT : text(reader, ea.getNewId());
        RawText theirs = deletedB ? RawText.EMPTY_TEXT : text(reader, eb.getNewId());
        // a binary blob has no lines, hence no hunks (as in git diff)
        boolean binaryA = isBinary(base) || isBinary(ours);
        boolean binaryB = isBinary(base) || isBinary(theirs);
        List<Hunk> hunksA = binaryA || wholeFile(ea) ? List.of() : hunks(algorithm.diff(RawTextComparator.DEFAULT, base, ours));
        List<Hunk> hunksB = binaryB || wholeFile(eb) ? List.of() : hunks(algorithm.diff(RawTextComparator.DEFAULT, base, theirs));
        List<List<Hunk>> colliding = colliding(ea, hunksA, eb, hunksB);

        boolean conflicts;
        if (deletedA || deletedB) {
            conflicts = deletedA != deletedB; // modify/delete conflicts; delete/delete agrees
        } else if (renamedA && renamedB && !ea.getNewPath().equals(eb.getNewPath())) {
            conflicts = true; // renamed to two different paths
        } else if (ea.getNewId().equals(eb.getNewId())) {
            conflicts = false; // both sides made the same content
        } else if (binaryA || binaryB) {
            conflicts = true;
        } else if (!added && ours.size() > 0 && theirs.size() > 0 && noneTouch(hunksA, hunksB)) {
            conflicts = false;
        } else {
            conflicts = new MergeAlgorithm(algorithm).merge(RawTextComparator.DEFAULT, base, ours, theirs).containsConflicts();
        }
        return new FileOverlap(basePath(ea), pathOn(ea), pathOn(eb), hunksA, hunksB, colliding, conflicts);
    }

    private static List<Hunk> hunks(EditList edits) {
        List<Hunk> hunks = new ArrayList<>(edits.size());
        for (Edit edit : edits) {
            hunks.add(new Hunk(edit.getBeginA() + 1, edit.getEndA() - edit.getBeginA()));
        }
        return hunks;
    }

    private static boolean noneTouch(List<Hunk> hunksA, List<Hunk> hunksB) {
        for (Hunk x : hunksA) {
            for (Hunk y : hunksB) {
                if (x.collides(y, 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isBinary(RawText text) {
        return text != RawText.EMPTY_TEXT && RawText.isBinary(text.getRawContent());
    }

    private static RawText text(ObjectReader reader, AbbreviatedObjectId id) throws IOException {
        return new RawText(reader.open(id.toObjectId()).getCachedBytes(16 * 1024 * 1024));
    }
}
