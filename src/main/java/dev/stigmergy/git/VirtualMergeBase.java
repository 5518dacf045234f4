package dev.stigmergy.git;

import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.merge.MergeAlgorithm;
import org.eclipse.jgit.merge.MergeChunk;
import org.eclipse.jgit.merge.MergeResult;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.TreeWalk;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The merge base two commits are merged against, as git's recursive ("ort") merge builds it: their one merge
 * base, or, on criss-cross history with several, a virtual base made by merging those bases pairwise, oldest
 * first, each pair against its own (recursively virtual) base. Like git, and unlike JGit's
 * {@code RecursiveMerger}, the merge of the bases follows renames; inside it a content conflict keeps its
 * conflict markers, a modify/delete keeps the base's version, and a file renamed apart on the two sides gets
 * the merged content under both new names (git's rules for a virtual ancestor, {@code merge-ort.c}). Its blobs
 * and trees go to the given in-core store, never to the repository.
 */
final class VirtualMergeBase {

    private static final PersonIdent NOBODY = new PersonIdent("virtual", "virtual@stigmergy",
            Instant.EPOCH, ZoneOffset.UTC);

    private final GitRepository git;
    private final InCoreObjects store;
    private final ObjectReader reader;
    private final DiffAlgorithm algorithm;
    private final RevWalk walk;

    VirtualMergeBase(GitRepository git, InCoreObjects store, ObjectReader reader, DiffAlgorithm algorithm) {
        this.git = git;
        this.store = store;
        this.reader = reader;
        this.algorithm = algorithm;
        this.walk = new RevWalk(reader);
    }

    /** The merge bases of {@code a} and {@code b} ({@code git merge-base --all}), oldest first. */
    List<RevCommit> mergeBases(AnyObjectId a, AnyObjectId b) throws IOException {
        walk.reset();
        walk.setRevFilter(RevFilter.MERGE_BASE);
        walk.markStart(walk.parseCommit(a));
        walk.markStart(walk.parseCommit(b));
        List<RevCommit> bases = new ArrayList<>();
        for (RevCommit base = walk.next(); base != null; base = walk.next()) {
            bases.add(base);
        }
        walk.reset();
        walk.setRevFilter(RevFilter.ALL);
        bases.sort(Comparator.comparingInt(RevCommit::getCommitTime).thenComparing(RevCommit::name));
        return bases;
    }

    /**
     * The tree to compare both sides with: the single merge base's, or the virtual base's built from
     * {@code bases} (as returned by {@link #mergeBases}); {@code null} when there is no base.
     */
    ObjectId tree(List<RevCommit> bases) throws IOException {
        RevCommit base = merged(bases, 1);
        return base == null ? null : base.getTree();
    }

    private RevCommit merged(List<RevCommit> bases, int depth) throws IOException {
        if (bases.isEmpty()) {
            return null;
        }
        RevCommit current = bases.get(0);
        for (RevCommit next : bases.subList(1, bases.size())) {
            RevCommit inner = merged(mergeBases(current, next), depth + 1);
            ObjectId tree = mergeTrees(inner == null ? null : inner.getTree(), current.getTree(), next.getTree(), depth);
            current = virtualCommit(tree, current, next);
        }
        return current;
    }

    private RevCommit virtualCommit(ObjectId tree, RevCommit first, RevCommit second) throws IOException {
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setParentIds(first, second);
        PersonIdent when = new PersonIdent(NOBODY, Instant.ofEpochSecond(
                Math.max(first.getCommitTime(), second.getCommitTime()) + 1L), ZoneOffset.UTC);
        commit.setAuthor(when);
        commit.setCommitter(when);
        commit.setMessage("virtual merge base");
        // parsed into the walk only: the next merge-base search walks through it to its parents
        return RevCommit.parse(walk, commit.build());
    }

    private record Entry(FileMode mode, ObjectId id) {
    }

    /** Merges {@code ours} and {@code theirs} against {@code base} (null: empty) the way git merges bases. */
    private ObjectId mergeTrees(ObjectId base, ObjectId ours, ObjectId theirs, int depth) throws IOException {
        TreeMap<String, Entry> result = files(base);
        Map<String, DiffEntry> changesA = EditOverlapCommand.byBasePath(git.diff(reader, base, ours));
        Map<String, DiffEntry> changesB = EditOverlapCommand.byBasePath(git.diff(reader, base, theirs));
        Set<String> keys = new LinkedHashSet<>(changesA.keySet());
        keys.addAll(changesB.keySet());
        for (String key : keys) {
            DiffEntry ea = changesA.get(key);
            DiffEntry eb = changesB.get(key);
            if (ea == null || eb == null) {
                apply(result, ea != null ? ea : eb);
                continue;
            }
            boolean deletedA = ea.getChangeType() == DiffEntry.ChangeType.DELETE;
            boolean deletedB = eb.getChangeType() == DiffEntry.ChangeType.DELETE;
            boolean added = isAdd(ea);
            if (!added) {
                result.remove(ea.getOldPath());
            }
            if (deletedA && deletedB) {
                continue;
            }
            if (deletedA || deletedB) {
                // modify/delete inside a virtual base: git keeps the base's version, under the surviving name
                DiffEntry kept = deletedA ? eb : ea;
                result.put(kept.getNewPath(), new Entry(kept.getOldMode(), kept.getOldId().toObjectId()));
                continue;
            }
            Entry merged = mergeContent(added ? null : ea.getOldId().toObjectId(), ea, eb, depth);
            boolean renamedA = ea.getChangeType() == DiffEntry.ChangeType.RENAME;
            boolean renamedB = eb.getChangeType() == DiffEntry.ChangeType.RENAME;
            // the file goes where a rename took it; renamed apart, the merged content goes under both names
            if (renamedA || !renamedB) {
                result.put(ea.getNewPath(), merged);
            }
            if (renamedB) {
                result.put(eb.getNewPath(), merged);
            }
        }
        return write(result);
    }

    private static boolean isAdd(DiffEntry entry) {
        return entry.getChangeType() == DiffEntry.ChangeType.ADD || entry.getChangeType() == DiffEntry.ChangeType.COPY;
    }

    private static void apply(TreeMap<String, Entry> result, DiffEntry change) {
        switch (change.getChangeType()) {
            case DELETE -> result.remove(change.getOldPath());
            case RENAME -> {
                result.remove(change.getOldPath());
                result.put(change.getNewPath(), new Entry(change.getNewMode(), change.getNewId().toObjectId()));
            }
            default -> result.put(change.getNewPath(), new Entry(change.getNewMode(), change.getNewId().toObjectId()));
        }
    }

    private Entry mergeContent(ObjectId base, DiffEntry ea, DiffEntry eb, int depth) throws IOException {
        ObjectId ours = ea.getNewId().toObjectId();
        ObjectId theirs = eb.getNewId().toObjectId();
        FileMode mode = ea.getNewMode();
        if (ours.equals(theirs) || theirs.equals(base)) {
            return new Entry(mode, ours);
        }
        if (ours.equals(base)) {
            return new Entry(eb.getNewMode(), theirs);
        }
        RawText baseText = base == null ? RawText.EMPTY_TEXT : text(base);
        RawText oursText = text(ours);
        RawText theirsText = text(theirs);
        if (isBinary(baseText) || isBinary(oursText) || isBinary(theirsText)) {
            // a binary conflict inside a virtual base keeps the ancestor's version (git's ll_binary_merge)
            return base == null ? new Entry(mode, ours) : new Entry(ea.getOldMode(), base);
        }
        MergeResult<RawText> merge = new MergeAlgorithm(algorithm).merge(RawTextComparator.DEFAULT, baseText,
                oursText, theirsText);
        boolean renamed = !ea.getNewPath().equals(eb.getNewPath());
        String first = "Temporary merge branch 1" + (renamed ? ":" + ea.getNewPath() : "");
        String second = "Temporary merge branch 2" + (renamed ? ":" + eb.getNewPath() : "");
        return new Entry(mode, store.insert(Constants.OBJ_BLOB, format(merge, 7 + 2 * depth, first, second)));
    }

    /**
     * The merged text with conflicts marked as git marks them inside a virtual base: markers 2 characters longer
     * per level of recursion, labelled "Temporary merge branch 1/2" (the rename detection that compares both
     * sides with this base weighs these lines too).
     */
    private static byte[] format(MergeResult<RawText> merge, int markerSize, String first, String second)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<RawText> texts = merge.getSequences();
        MergeChunk.ConflictState previous = MergeChunk.ConflictState.NO_CONFLICT;
        for (MergeChunk chunk : merge) {
            MergeChunk.ConflictState state = chunk.getConflictState();
            if (state == MergeChunk.ConflictState.BASE_CONFLICTING_RANGE) {
                continue; // git's default style shows no base section
            }
            if (state == MergeChunk.ConflictState.FIRST_CONFLICTING_RANGE) {
                marker(out, '<', markerSize, first);
            } else if (state == MergeChunk.ConflictState.NEXT_CONFLICTING_RANGE) {
                marker(out, '=', markerSize, null);
            } else if (previous != MergeChunk.ConflictState.NO_CONFLICT) {
                marker(out, '>', markerSize, second);
            }
            RawText text = texts.get(chunk.getSequenceIndex());
            for (int line = chunk.getBegin(); line < chunk.getEnd(); line++) {
                text.writeLine(out, line);
                out.write('\n');
            }
            previous = state;
        }
        if (previous != MergeChunk.ConflictState.NO_CONFLICT) {
            marker(out, '>', markerSize, second);
        }
        return out.toByteArray();
    }

    private static void marker(ByteArrayOutputStream out, char c, int size, String label) {
        String line = String.valueOf(c).repeat(size) + (label == null ? "" : " " + label) + "\n";
        out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isBinary(RawText text) {
        return text != RawText.EMPTY_TEXT && RawText.isBinary(text.getRawContent());
    }

    private RawText text(ObjectId id) throws IOException {
        return new RawText(reader.open(id, Constants.OBJ_BLOB).getCachedBytes(16 * 1024 * 1024));
    }

    private TreeMap<String, Entry> files(ObjectId tree) throws IOException {
        TreeMap<String, Entry> files = new TreeMap<>();
        if (tree == null) {
            return files;
        }
        try (TreeWalk treeWalk = new TreeWalk(reader)) {
            treeWalk.addTree(tree);
            treeWalk.setRecursive(true);
            while (treeWalk.next()) {
                files.put(treeWalk.getPathString(), new Entry(treeWalk.getFileMode(0), treeWalk.getObjectId(0)));
            }
        }
        return files;
    }

    private ObjectId write(TreeMap<String, Entry> files) throws IOException {
        DirCache index = DirCache.newInCore();
        DirCacheBuilder builder = index.builder();
        for (Map.Entry<String, Entry> file : files.entrySet()) {
            DirCacheEntry entry = new DirCacheEntry(file.getKey());
            entry.setFileMode(file.getValue().mode());
            entry.setObjectId(file.getValue().id());
            builder.add(entry);
        }
        builder.finish();
        return index.writeTree(store);
    }
}
