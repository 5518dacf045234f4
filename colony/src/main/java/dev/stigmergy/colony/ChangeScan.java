package dev.stigmergy.colony;

import org.eclipse.jgit.diff.DiffAlgorithm;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.diff.EditList;
import org.eclipse.jgit.diff.RawText;
import org.eclipse.jgit.diff.RawTextComparator;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What each replayed commit changes, and which earlier commits it must follow, read from the cheapest exact source:
 * one tree diff per commit gives its changed paths (no content is read); line hunks are computed only for paths
 * that several commits of the replay change. Built once for the whole window (tree diffs only, milliseconds per
 * commit); {@link #job} and the dependency sets are computed per commit on demand, oldest first, so that the scout
 * can publish a job as soon as its own dependencies are known.
 *
 * <p><b>File level</b>: a commit depends on the latest earlier commit that changes one of its paths (the earlier
 * ones are that commit's own dependencies). <b>Hunk level</b>: on a path both change, a commit need not follow an
 * earlier one whose hunks are farther than {@link #CONTEXT_LINES} lines from its own, compared in the same
 * coordinates (each commit's ranges are carried back through the commits in between: exactly across an unchanged
 * stretch, widened to the whole hunk across a changed one). An added, deleted, binary or mode-changing change
 * collides with everything on its path. Both sets are transitively reduced (a link the others imply is left out).
 */
final class ChangeScan {

    /**
     * The margin of the service's line-range rule (its default {@code STIGMERGY_INTENT_CONTEXT_LINES}): ranges with
     * no more lines than this between them collide. The service applies its own rule to the workers' intents, so a
     * service set stricter only costs parallelism, never correctness.
     */
    static final int CONTEXT_LINES = 3;
    private static final int MAX_RANGES = 100; // the service takes at most 100 line ranges per declared file

    private final Repository repo;
    private final List<RevCommit> commits;
    private final String run;
    private final List<List<Change>> changes = new ArrayList<>();
    private final Map<String, List<Integer>> writers = new HashMap<>();
    private final Map<Long, EditList> edits = new HashMap<>();
    private final Job[] jobs;
    private final BitSet[] ancestors;

    /** One path a commit changes; ids are zero when the path is absent on that side. */
    private record Change(String path, ObjectId oldId, ObjectId newId, FileMode oldMode, FileMode newMode) {
        boolean modify() {
            return !ObjectId.zeroId().equals(oldId) && !ObjectId.zeroId().equals(newId) && oldMode == newMode
                    && oldMode == FileMode.REGULAR_FILE;
        }
    }

    private ChangeScan(Repository repo, List<RevCommit> commits, String run) {
        this.repo = repo;
        this.commits = commits;
        this.run = run;
        this.jobs = new Job[commits.size()];
        this.ancestors = new BitSet[commits.size()];
    }

    /** Reads the changed paths of every commit (one tree diff each, against its first parent or the empty tree). */
    static ChangeScan of(Repository repo, List<RevCommit> commits, String run) throws IOException {
        ChangeScan scan = new ChangeScan(repo, commits, run);
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(reader)) {
            walk.setRecursive(true);
            walk.setFilter(TreeFilter.ANY_DIFF);
            for (RevCommit c : commits) {
                walk.reset();
                if (c.getParentCount() > 0) {
                    walk.addTree(c.getParent(0).getTree());
                } else {
                    walk.addTree(new EmptyTreeIterator());
                }
                walk.addTree(c.getTree());
                List<Change> changed = new ArrayList<>();
                while (walk.next()) {
                    String path = walk.getPathString();
                    changed.add(new Change(path, walk.getObjectId(0), walk.getObjectId(1), walk.getFileMode(0), walk.getFileMode(1)));
                    scan.writers.computeIfAbsent(path, p -> new ArrayList<>()).add(scan.changes.size());
                }
                scan.changes.add(changed);
            }
        }
        return scan;
    }

    int size() {
        return commits.size();
    }

    /** The job of commit {@code i} (0 = oldest): its paths, and line ranges on the paths other commits change too. */
    synchronized Job job(int i) throws IOException {
        if (jobs[i] == null) {
            RevCommit c = commits.get(i);
            Set<String> paths = new TreeSet<>();
            List<Job.FileChange> files = new ArrayList<>();
            for (Change change : changes.get(i)) {
                paths.add(change.path());
                List<int[]> ranges = List.of();
                if (change.modify() && writers.get(change.path()).size() > 1) {
                    ranges = ranges(edits(i, change));
                }
                files.add(new Job.FileChange(change.path(), ranges));
            }
            ObjectId parent = c.getParentCount() > 0 ? c.getParent(0).copy() : null;
            String shortSha = c.abbreviate(7).name();
            String subject = c.getShortMessage().isBlank() ? "(no subject)" : ReplayRepository.title(c.getShortMessage());
            jobs[i] = new Job(i, c.copy(), parent, shortSha, subject, shortSha + "." + run, Set.copyOf(paths), List.copyOf(files));
        }
        return jobs[i];
    }

    /** File level: the earlier commits {@code i} must follow, reduced (see the class doc). */
    synchronized Set<Integer> fileLevel(int i) {
        Set<Integer> deps = new TreeSet<>();
        for (Change change : changes.get(i)) {
            Integer latest = latestBefore(change.path(), i);
            if (latest != null) {
                deps.add(latest);
            }
        }
        return reduce(deps, fileLevelAncestors());
    }

    private BitSet[] fileAncestors;

    private BitSet[] fileLevelAncestors() {
        if (fileAncestors == null) {
            fileAncestors = new BitSet[commits.size()];
            for (int j = 0; j < commits.size(); j++) {
                BitSet reach = new BitSet();
                for (Change change : changes.get(j)) {
                    Integer latest = latestBefore(change.path(), j);
                    if (latest != null) {
                        reach.set(latest);
                        reach.or(fileAncestors[latest]);
                    }
                }
                fileAncestors[j] = reach;
            }
        }
        return fileAncestors;
    }

    /**
     * Hunk level: the earlier commits {@code i} must follow, reduced. Must be asked in order (0, 1, 2, …): each
     * answer uses the earlier ones' reach.
     */
    synchronized Set<Integer> hunkLevel(int i) throws IOException {
        Set<Integer> deps = new TreeSet<>();
        for (Change change : changes.get(i)) {
            List<Integer> onPath = writers.get(change.path());
            int position = onPath.indexOf(i);
            if (position == 0) {
                continue;
            }
            if (!change.modify()) {
                deps.add(onPath.get(position - 1)); // collides with everything on the path
                continue;
            }
            // my hunks in my parent's coordinates, carried back through the earlier writers one by one
            List<int[]> mine = aSides(edits(i, change));
            for (int h = position - 1; h >= 0; h--) {
                int earlier = onPath.get(h);
                Change theirs = changeOf(earlier, change.path());
                if (!theirs.modify()) {
                    deps.add(earlier); // an add, delete or binary change: the whole file
                    break;
                }
                EditList their = edits(earlier, theirs);
                if (their == BINARY) {
                    deps.add(earlier);
                    break;
                }
                if (collide(mine, bSides(their))) {
                    deps.add(earlier);
                }
                mine = back(mine, their);
            }
        }
        Set<Integer> reduced = reduce(deps, ancestors);
        BitSet reach = new BitSet();
        for (int d : reduced) {
            reach.set(d);
            reach.or(ancestors[d]);
        }
        ancestors[i] = reach;
        return reduced;
    }

    private static Set<Integer> reduce(Set<Integer> deps, BitSet[] reach) {
        Set<Integer> reduced = new TreeSet<>(deps);
        for (int d : deps) {
            for (int other : deps) {
                if (other != d && reach[other] != null && reach[other].get(d)) {
                    reduced.remove(d);
                }
            }
        }
        return reduced;
    }

    private Integer latestBefore(String path, int i) {
        List<Integer> onPath = writers.get(path);
        int position = onPath.indexOf(i);
        return position > 0 ? onPath.get(position - 1) : null;
    }

    private Change changeOf(int commit, String path) {
        for (Change c : changes.get(commit)) {
            if (c.path().equals(path)) {
                return c;
            }
        }
        throw new IllegalStateException(path + " is not changed by commit " + commit);
    }

    /** The line edits of commit {@code i} on one path (histogram diff, as git's default); cached. */
    private EditList edits(int i, Change change) throws IOException {
        long key = ((long) i << 32) | (pathId(change.path()) & 0xffffffffL);
        EditList cached = edits.get(key);
        if (cached != null) {
            return cached;
        }
        EditList list;
        try (ObjectReader reader = repo.newObjectReader()) {
            byte[] a = reader.open(change.oldId()).getCachedBytes(Integer.MAX_VALUE);
            byte[] b = reader.open(change.newId()).getCachedBytes(Integer.MAX_VALUE);
            if (RawText.isBinary(a) || RawText.isBinary(b)) {
                list = null;
            } else {
                list = DiffAlgorithm.getAlgorithm(DiffAlgorithm.SupportedAlgorithm.HISTOGRAM)
                        .diff(RawTextComparator.DEFAULT, new RawText(a), new RawText(b));
            }
        }
        edits.put(key, list == null ? BINARY : list);
        return list == null ? BINARY : list;
    }

    /** Marks a binary change: no hunks, the whole file. */
    private static final EditList BINARY = new EditList();

    private final Map<String, Integer> pathIds = new HashMap<>();

    private int pathId(String path) {
        return pathIds.computeIfAbsent(path, p -> pathIds.size());
    }

    /** Old-side ranges, half-open, 0-based ({@code [begin, end)}; an insertion is the empty range at its position). */
    private static List<int[]> aSides(EditList edits) {
        List<int[]> sides = new ArrayList<>();
        if (edits == BINARY) {
            sides.add(new int[] {0, Integer.MAX_VALUE / 2});
        }
        for (Edit e : edits) {
            sides.add(new int[] {e.getBeginA(), e.getEndA()});
        }
        return sides;
    }

    private static List<int[]> bSides(EditList edits) {
        List<int[]> sides = new ArrayList<>();
        if (edits == BINARY) {
            sides.add(new int[] {0, Integer.MAX_VALUE / 2});
        }
        for (Edit e : edits) {
            sides.add(new int[] {e.getBeginB(), e.getEndB()});
        }
        return sides;
    }

    /** The service's rule on half-open ranges: no more than {@link #CONTEXT_LINES} lines strictly between them. */
    static boolean collide(List<int[]> a, List<int[]> b) {
        for (int[] x : a) {
            for (int[] y : b) {
                int between = Math.max(x[0], y[0]) - Math.min(x[1], y[1]);
                if (between <= CONTEXT_LINES) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Carries ranges in the new side's coordinates of {@code through} back to its old side: a position in an
     * unchanged stretch shifts by the lines the edits before it added or removed; a range touching an edit widens
     * to that edit's whole old side.
     */
    static List<int[]> back(List<int[]> ranges, EditList through) {
        List<int[]> mapped = new ArrayList<>();
        for (int[] r : ranges) {
            int begin = r[0] + shiftBefore(r[0], through);
            int end = r[1] + shiftBefore(r[1], through);
            for (Edit e : through) {
                if (e.getBeginB() <= r[1] && r[0] <= e.getEndB()) { // touches, adjacency included: widen
                    begin = Math.min(begin, e.getBeginA());
                    end = Math.max(end, e.getEndA());
                }
            }
            mapped.add(new int[] {begin, Math.max(begin, end)});
        }
        return mapped;
    }

    /** Old-side minus new-side line count of the edits wholly before position {@code x} (edits are sorted). */
    private static int shiftBefore(int x, EditList edits) {
        int shift = 0;
        for (Edit e : edits) {
            if (e.getEndB() <= x && e.getBeginB() < x) {
                shift = e.getEndA() - e.getEndB();
            }
        }
        return shift;
    }

    /** 1-based inclusive ranges of the parent's version for the intent (an insertion after line n is [n, n+1]). */
    private static List<int[]> ranges(EditList edits) {
        if (edits == BINARY) {
            return List.of();
        }
        List<int[]> ranges = new ArrayList<>();
        for (Edit edit : edits) {
            int start = Math.max(1, edit.getBeginA() + (edit.getLengthA() == 0 ? 0 : 1));
            int end = Math.max(start, edit.getLengthA() == 0 ? edit.getBeginA() + 1 : edit.getEndA());
            ranges.add(new int[] {start, end});
        }
        return ranges.isEmpty() || ranges.size() > MAX_RANGES ? List.of() : List.copyOf(ranges);
    }
}
