package dev.stigmergy.intent;

import dev.stigmergy.git.GitRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Judges declared files against other agents' held files (DESIGN.md §4): which overlap, and what each
 * overlap does under the level table ({@link LevelRule}).
 *
 * <p>Two patterns overlap when some path is covered by both. Decided on the patterns themselves, soundly;
 * when both are globs and the repository is known, on the files of its tree at the intent's base instead
 * (a glob pair that no existing file satisfies does not collide). At L1–L3 on plain paths, declared line
 * ranges farther apart than the context margin do not collide; L4 always holds the whole file.
 */
final class IntentOverlap {

    private final List<HeldFile> held;
    private final List<PathPattern> heldPatterns;
    /** Indexes into {@code held} by literal prefix, so a declared pattern meets only the prefixes that may overlap it. */
    private final TreeMap<String, List<Integer>> byPrefix = new TreeMap<>();
    private final Supplier<List<String>> treeFiles;
    private final int contextLines;

    /**
     * @param held         other agents' held files that may overlap
     * @param treeFiles    the repository's files at the base, or a supplier of {@code null} when unknown;
     *                     called at most once, only when two globs meet
     * @param contextLines line-range margin
     */
    IntentOverlap(List<HeldFile> held, Supplier<List<String>> treeFiles, int contextLines) {
        this.held = held;
        this.heldPatterns = held.stream().map(h -> PathPattern.parse(h.path())).toList();
        for (int k = 0; k < held.size(); k++) {
            byPrefix.computeIfAbsent(heldPatterns.get(k).literalPrefix(), p -> new ArrayList<>()).add(k);
        }
        this.treeFiles = memoize(treeFiles);
        this.contextLines = contextLines;
    }

    FileDecision judge(DeclaredFile file, PathPattern pattern, int priority) {
        List<Overlap> overlaps = new ArrayList<>();
        for (HeldFile other : colliding(pattern, file.level(), file.lineRanges())) {
            Overlap.Effect effect = switch (LevelRule.judge(file.level(), priority, other.level(), other.priority())) {
                case WARN -> Overlap.Effect.WARN;
                case DENY -> Overlap.Effect.DENY;
                case PREEMPT -> Overlap.Effect.PREEMPT;
            };
            overlaps.add(new Overlap(other.intentId(), other.agent(), other.entity(), other.path(), other.level(),
                    other.priority(), effect));
        }
        FileDecision.Outcome outcome = overlaps.isEmpty() ? FileDecision.Outcome.GRANTED
                : overlaps.stream().anyMatch(o -> o.effect() == Overlap.Effect.DENY) ? FileDecision.Outcome.DENIED
                : FileDecision.Outcome.WARNING;
        return new FileDecision(file.path(), file.level(), outcome, overlaps);
    }

    /**
     * The held files, in the order read, that {@code pattern} at {@code level} on {@code lineRanges} collides with:
     * the paths overlap and, at L1–L3 on one plain path, some line ranges come within the context margin. The one
     * collision rule, for declaring intents ({@link #judge}) and for verifying staged hunks or commits against
     * holds ({@link GitAwareness#verify}).
     *
     * @param lineRanges 1-based inclusive ranges; {@code null} or empty for the whole file
     */
    List<HeldFile> colliding(PathPattern pattern, int level, List<LineRange> lineRanges) {
        List<HeldFile> colliding = new ArrayList<>();
        for (int k : mayOverlap(pattern.literalPrefix())) {
            HeldFile other = held.get(k);
            PathPattern otherPattern = heldPatterns.get(k);
            if (overlaps(pattern, otherPattern) && linesCollide(level, lineRanges, pattern, other, otherPattern)) {
                colliding.add(other);
            }
        }
        return colliding;
    }

    /**
     * The held files, in the order read, whose literal prefix is an ancestor of {@code prefix} or inside it: only
     * those can overlap a pattern with that prefix ({@link PathPattern#literalPrefix}).
     */
    private List<Integer> mayOverlap(String prefix) {
        List<Integer> indexes = new ArrayList<>();
        for (String ancestor : PrefixRanges.ancestors(prefix)) {
            indexes.addAll(byPrefix.getOrDefault(ancestor, List.of()));
        }
        for (var e : byPrefix.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break; // sorted: the prefixes inside this one come first, together
            }
            indexes.addAll(e.getValue());
        }
        indexes.sort(null);
        return indexes;
    }

    private boolean overlaps(PathPattern a, PathPattern b) {
        if (!a.overlaps(b)) {
            return false;
        }
        if (!a.isGlob() || !b.isGlob()) {
            return true; // a plain path both cover may be a file still to be created
        }
        List<String> files = treeFiles.get();
        return files == null || files.stream().anyMatch(f -> a.matches(f) && b.matches(f));
    }

    private boolean linesCollide(int level, List<LineRange> lineRanges, PathPattern pattern, HeldFile other,
                                 PathPattern otherPattern) {
        if (level == 4 || other.level() == 4 || pattern.isGlob() || otherPattern.isGlob()
                || !pattern.text().equals(otherPattern.text())) {
            return true;
        }
        return LineRange.collide(lineRanges, other.lineRanges(), contextLines);
    }

    private static Supplier<List<String>> memoize(Supplier<List<String>> supplier) {
        return new Supplier<>() {
            private boolean done;
            private List<String> value;

            @Override
            public List<String> get() {
                if (!done) {
                    value = supplier.get();
                    done = true;
                }
                return value;
            }
        };
    }

    /** The files of {@code repository} at {@code ref} (a commit, branch, or the default branch when null). */
    static Supplier<List<String>> tree(Supplier<GitRepository> repository, String ref) {
        return () -> {
            GitRepository git = repository.get();
            if (git == null) {
                return null;
            }
            try (git) {
                return git.files(ref == null ? git.defaultRef() : ref);
            }
        };
    }
}
