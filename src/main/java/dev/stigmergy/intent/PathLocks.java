package dev.stigmergy.intent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transaction-scoped advisory locks a declaration takes before it reads other agents' held files, so that the
 * overlap check and the insert of its files are atomic against every declaration that may overlap it (DESIGN.md §4:
 * no check-then-create race, never two conflicting grants), while declarations that cannot overlap do not wait on
 * each other.
 *
 * <p>Two patterns can only overlap when the {@link PrefixRanges#key key} of one starts with the other's (a glob's
 * literal prefix, a plain path's {@code path/}; both end in '/'), so the keys form a tree of directories. As in a
 * lock hierarchy with intention locks, a declaration locks each of its keys exclusively and every directory above
 * them shared: two declarations whose keys are equal, or one above the other, meet on an exclusive lock; disjoint
 * keys share only shared locks. Levels, line ranges and the repository's tree only narrow an overlap of patterns,
 * so these locks are sound for them too (at worst two declarations that do not collide wait on each other). A glob
 * with an empty prefix (e.g. {@code **}{@code /*.py}) locks the root exclusively: it may overlap anything, so it
 * waits for, and holds off, every declaration of its environment, as the former per-environment lock did.
 *
 * <p>Each lock is taken once, in its strongest mode, in ascending order of its 64-bit id: a declaration only ever
 * waits for a lock above all it holds, so no two wait on each other in a cycle. Past {@link #MAX_EXCLUSIVE} keys the
 * deepest are replaced by their directories (coarser, still sound), bounding what one transaction puts in
 * PostgreSQL's shared lock table (a declaration may name 500 files).
 */
final class PathLocks {

    /** Beyond this many keys a declaration locks directories instead of its files. */
    static final int MAX_EXCLUSIVE = 32;

    /**
     * One advisory lock.
     *
     * @param id        the lock's 64-bit key, from the environment and the directory key
     * @param exclusive exclusive for a declared key, shared for a directory above one
     */
    record Lock(long id, boolean exclusive) {
    }

    private PathLocks() {
    }

    /** The locks for declaring {@code declared} in {@code environment}, in the order to take them. */
    static List<Lock> of(String environment, Collection<PathPattern> declared) {
        TreeSet<String> keys = new TreeSet<>();
        for (PathPattern pattern : declared) {
            keys.add(PrefixRanges.key(pattern));
        }
        while (keys.size() > MAX_EXCLUSIVE) {
            int deepest = keys.stream().mapToInt(PathLocks::depth).max().orElseThrow();
            TreeSet<String> coarser = new TreeSet<>();
            for (String key : keys) {
                coarser.add(depth(key) == deepest ? parent(key) : key);
            }
            keys = coarser;
        }
        Map<Long, Boolean> locks = new TreeMap<>();
        for (String key : keys) {
            List<String> above = PrefixRanges.ancestors(key);
            if (above.stream().anyMatch(keys::contains)) {
                continue; // an exclusive lock above it already holds off everything this one would
            }
            locks.put(id(environment, key), true);
            for (String directory : above) {
                locks.merge(id(environment, directory), false, Boolean::logicalOr);
            }
        }
        List<Lock> ordered = new ArrayList<>(locks.size());
        locks.forEach((id, exclusive) -> ordered.add(new Lock(id, exclusive)));
        return ordered;
    }

    // "" is the root (depth 0); "a/b/" has depth 2
    private static int depth(String key) {
        return (int) key.chars().filter(c -> c == '/').count();
    }

    private static String parent(String key) {
        return key.substring(0, key.lastIndexOf('/', key.length() - 2) + 1);
    }

    // a digest rather than String.hashCode: every replica must derive the same id, and 64 bits keep
    // unrelated keys from sharing a lock (a shared id only makes two declarations wait, never both win)
    static long id(String environment, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("intent\0" + environment + "\0" + key).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
