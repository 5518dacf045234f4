package dev.stigmergy.intent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Which held files an overlap check must read for a declaration: ranges of held literal prefixes
 * ({@link PathPattern#literalPrefix}), each one index range scan, in byte order (PostgreSQL's {@code "C"} collation).
 *
 * <p>A held pattern can only overlap a declared one when one's literal prefix starts with the other's. For a
 * declared glob with prefix {@code p}: held prefixes inside {@code p} (range {@code [p, p'0')}, {@code '0'} being the
 * character after {@code '/'}) and {@code p}'s ancestor directories. A declared plain path {@code c} covers
 * {@code c} and what is beneath it, so the key is {@code c/}: everything inside it, and its ancestors, where only
 * held globs and held plain paths that are {@code c} or one of its ancestors can overlap ({@link Range#plainRoot}
 * tells the query to drop the rest, e.g. the other files of {@code c}'s directory). An ancestor {@code a} is the
 * range {@code [a, a + " ")}: paths hold no control characters ({@link PathPattern}), so the only stored prefix in it
 * is {@code a} itself.
 */
final class PrefixRanges {

    /**
     * Held prefixes {@code lo <= prefix < hi}.
     *
     * @param plainRoot {@code null}: every held file in the range; otherwise only held globs and held plain paths
     *                  that are this path or one of its ancestor directories
     */
    record Range(String lo, String hi, String plainRoot) {
    }

    static final Comparator<String> BYTE_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private PrefixRanges() {
    }

    /** Whether a declared glob has an empty literal prefix (e.g. {@code **}{@code /*.md}): it may overlap any held file. */
    static boolean coverEverything(Collection<PathPattern> declared) {
        return declared.stream().anyMatch(p -> p.isGlob() && p.literalPrefix().isEmpty());
    }

    /**
     * The ranges to read for {@code declared}, none of whose globs {@link #coverEverything covers everything}. Ranges
     * without a plain root are merged, so disjoint; ranges with one may overlap others (the reader drops repeats).
     */
    static List<Range> of(Collection<PathPattern> declared) {
        List<Range> ranges = new ArrayList<>();
        List<Range> whole = new ArrayList<>();
        for (PathPattern pattern : declared) {
            String root = pattern.isGlob() ? null : PathPattern.withoutSlash(pattern.text());
            String key = key(pattern);
            if (key.isEmpty()) {
                throw new IllegalArgumentException("'" + pattern + "' may overlap every held file");
            }
            for (String ancestor : ancestors(key)) {
                (root == null ? whole : ranges).add(new Range(ancestor, ancestor + " ", root));
            }
            whole.add(new Range(key, key.substring(0, key.length() - 1) + "0", null));
        }
        whole.sort((x, y) -> BYTE_ORDER.compare(x.lo(), y.lo()));
        for (Range range : whole) {
            Range last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last.plainRoot() == null && BYTE_ORDER.compare(range.lo(), last.hi()) <= 0) {
                if (BYTE_ORDER.compare(range.hi(), last.hi()) > 0) {
                    ranges.set(ranges.size() - 1, new Range(last.lo(), range.hi(), null));
                }
            } else {
                ranges.add(range);
            }
        }
        return ranges;
    }

    /**
     * A pattern's place in the tree of literal prefixes: a glob's {@link PathPattern#literalPrefix}, a plain path's
     * own directory {@code path/} (it covers what is beneath it). Two patterns can only overlap when one's key starts
     * with the other's.
     */
    static String key(PathPattern pattern) {
        return pattern.isGlob() ? pattern.literalPrefix() : PathPattern.withoutSlash(pattern.text()) + "/";
    }

    /** The directories above {@code prefix} (a literal prefix ending in '/'), shortest first: {@code ""}, {@code a/}, … */
    static List<String> ancestors(String prefix) {
        List<String> ancestors = new ArrayList<>();
        for (int slash = -1; slash < prefix.length() - 1; slash = prefix.indexOf('/', slash + 1)) {
            ancestors.add(prefix.substring(0, slash + 1));
        }
        return ancestors;
    }
}
