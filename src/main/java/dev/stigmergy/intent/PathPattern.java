package dev.stigmergy.intent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.api.InvalidInputException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A canonical repo-relative path, directory ({@code src/auth/}) or git wildmatch glob ({@code src/**}{@code /*.java})
 * named in a file-update intent (DESIGN.md §4).
 *
 * <p>Canonical means: forward slashes, no leading {@code /} or {@code ./}, no empty, {@code .} or {@code ..}
 * segment, no backslash, no control character, at most 1024 characters. Glob syntax is git's wildmatch
 * with the pathname flag: {@code *} and {@code ?} stay within a segment, {@code [a-z]} / {@code [!a-z]} are
 * classes, and {@code **} as a whole segment spans zero or more directories.
 *
 * <p>A pattern covers what it names and everything beneath it, as a git pathspec does: {@code src/auth}
 * may be a directory, so it overlaps {@code src/auth/login.py}. Overlap of two patterns is decided segment
 * by segment by searching for one path both can match ({@link #overlaps}); no glob library answers that
 * question. Matching a concrete path is the special case of a literal pattern, decided by the same code,
 * so matching and overlap can never disagree.
 */
public final class PathPattern {

    private static final int MAX_LENGTH = 1024;

    // every overlap check parses the held patterns it meets, and the same ones again and again (benchmark P4);
    // patterns are immutable values, and only valid ones are kept
    private static final Cache<String, PathPattern> PARSED = Caffeine.newBuilder().maximumSize(50_000).build();

    private final String text;
    private final List<Segment> segments;
    private final String prefix;

    private PathPattern(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
        this.prefix = literalPrefixOf(text);
    }

    /**
     * Parses and checks a declared path.
     *
     * @throws InvalidInputException the path is not canonical (400), naming why
     */
    public static PathPattern parse(String raw) {
        PathPattern known = raw == null ? null : PARSED.getIfPresent(raw);
        if (known != null) {
            return known;
        }
        PathPattern parsed = check(raw);
        PARSED.put(raw, parsed);
        return parsed;
    }

    private static PathPattern check(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw invalid(raw, "is empty");
        }
        if (raw.length() > MAX_LENGTH) {
            throw invalid(raw.substring(0, 40) + "…", "is longer than " + MAX_LENGTH + " characters");
        }
        if (raw.indexOf('\\') >= 0) {
            throw invalid(raw, "contains a backslash; use forward slashes");
        }
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw invalid(raw, "contains a control character");
        }
        if (raw.startsWith("/")) {
            throw invalid(raw, "is absolute; paths are relative to the repository root");
        }
        boolean directory = raw.endsWith("/");
        String body = directory ? raw.substring(0, raw.length() - 1) : raw;
        List<Segment> segments = new ArrayList<>();
        for (String part : body.split("/", -1)) {
            switch (part) {
                case "" -> throw invalid(raw, "has an empty segment");
                case "." -> throw invalid(raw, "has a '.' segment; write the canonical path");
                case ".." -> throw invalid(raw, "has a '..' segment; paths may not leave the repository");
                default -> segments.add(Segment.parse(part, raw));
            }
        }
        // everything beneath a pattern is covered by it (a path may name a directory)
        segments.add(Segment.DOUBLE_STAR);
        return new PathPattern(raw, List.copyOf(segments));
    }

    /** The path as declared (already canonical). */
    public String text() {
        return text;
    }

    /**
     * The literal leading directories, each followed by '/', before any glob and excluding a final file
     * name ({@code src/auth/} for {@code src/auth/*.py} and {@code src/auth/login.py}). Two patterns can only
     * overlap when one's prefix starts with the other's.
     */
    public String literalPrefix() {
        return prefix;
    }

    private static String literalPrefixOf(String text) {
        // up to the last '/' before the first glob character: the directories that are still literal
        int glob = firstGlob(text);
        return text.substring(0, text.lastIndexOf('/', glob < 0 ? text.length() - 1 : glob) + 1);
    }

    private static int firstGlob(String text) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '*' || c == '?' || c == '[') {
                return k;
            }
        }
        return -1;
    }

    /** Whether the pattern contains glob syntax ({@code * ? [}). */
    public boolean isGlob() {
        return firstGlob(text) >= 0;
    }

    /**
     * Whether some path is covered by both patterns. Sound: answers {@code true} whenever it cannot rule
     * an overlap out (e.g. two wide character classes).
     */
    public boolean overlaps(PathPattern other) {
        if (!isGlob() && !other.isGlob()) {
            // two plain paths overlap when they are the same or one is a directory above the other
            String a = withoutSlash(text), b = withoutSlash(other.text);
            return a.equals(b) || isBeneath(a, b) || isBeneath(b, a);
        }
        return intersect(segments, other.segments);
    }

    /** The path without a trailing {@code '/'}: what a plain path names, whether written as a directory or not. */
    static String withoutSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    private static boolean isBeneath(String path, String directory) {
        return path.length() > directory.length() && path.charAt(directory.length()) == '/' && path.startsWith(directory);
    }

    /** Whether this pattern covers the concrete repository path {@code path} (a file or directory). */
    public boolean matches(String path) {
        List<Segment> literal = new ArrayList<>();
        for (String part : path.split("/")) {
            literal.add(Segment.literal(part));
        }
        return intersect(segments, literal);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern p && p.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    private static InvalidInputException invalid(String raw, String why) {
        return new InvalidInputException("path '" + raw + "' " + why);
    }

    // search over (segment of a, segment of b) for a pair of segment sequences both can match
    private static boolean intersect(List<Segment> a, List<Segment> b) {
        Set<Long> seen = new HashSet<>();
        List<int[]> stack = new ArrayList<>();
        stack.add(new int[]{0, 0});
        while (!stack.isEmpty()) {
            int[] s = stack.remove(stack.size() - 1);
            int i = s[0], j = s[1];
            if (!seen.add(((long) i << 32) | j)) {
                continue;
            }
            if (i == a.size() && j == b.size()) {
                return true;
            }
            boolean aStar = i < a.size() && a.get(i).doubleStar();
            boolean bStar = j < b.size() && b.get(j).doubleStar();
            if (aStar) {
                stack.add(new int[]{i + 1, j});
                if (j < b.size()) {
                    stack.add(new int[]{i, j + 1});
                }
            }
            if (bStar) {
                stack.add(new int[]{i, j + 1});
                if (i < a.size()) {
                    stack.add(new int[]{i + 1, j});
                }
            }
            if (!aStar && !bStar && i < a.size() && j < b.size() && a.get(i).intersects(b.get(j))) {
                stack.add(new int[]{i + 1, j + 1});
            }
        }
        return false;
    }

    /** One path segment: {@code **}, or a sequence of wildmatch tokens. */
    private record Segment(boolean doubleStar, List<Token> tokens) {

        static final Segment DOUBLE_STAR = new Segment(true, List.of());

        static Segment literal(String part) {
            List<Token> tokens = new ArrayList<>(part.length());
            for (char c : part.toCharArray()) {
                tokens.add(Token.literal(c));
            }
            return new Segment(false, tokens);
        }

        static Segment parse(String part, String raw) {
            if (part.equals("**")) {
                return DOUBLE_STAR;
            }
            List<Token> tokens = new ArrayList<>();
            for (int k = 0; k < part.length(); k++) {
                char c = part.charAt(k);
                switch (c) {
                    case '*' -> {
                        // consecutive stars inside a segment mean the same as one
                        if (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind != Token.Kind.STAR) {
                            tokens.add(Token.STAR);
                        }
                    }
                    case '?' -> tokens.add(Token.ANY);
                    case '[' -> {
                        int end = classEnd(part, k);
                        if (end < 0) {
                            throw invalid(raw, "has an unclosed '['");
                        }
                        tokens.add(Token.charClass(part.substring(k + 1, end)));
                        k = end;
                    }
                    default -> tokens.add(Token.literal(c));
                }
            }
            return new Segment(false, tokens);
        }

        private static int classEnd(String part, int open) {
            int k = open + 1;
            if (k < part.length() && (part.charAt(k) == '!' || part.charAt(k) == '^')) {
                k++;
            }
            if (k < part.length() && part.charAt(k) == ']') {
                k++; // a ']' first in a class is a member
            }
            int close = part.indexOf(']', k);
            return close;
        }

        // search over (token of this, token of other) for one string both segments match
        boolean intersects(Segment other) {
            List<Token> p = tokens, q = other.tokens;
            Set<Long> seen = new HashSet<>();
            List<int[]> stack = new ArrayList<>();
            stack.add(new int[]{0, 0});
            while (!stack.isEmpty()) {
                int[] s = stack.remove(stack.size() - 1);
                int i = s[0], j = s[1];
                if (!seen.add(((long) i << 32) | j)) {
                    continue;
                }
                if (i == p.size() && j == q.size()) {
                    return true;
                }
                boolean pStar = i < p.size() && p.get(i).kind == Token.Kind.STAR;
                boolean qStar = j < q.size() && q.get(j).kind == Token.Kind.STAR;
                if (pStar) {
                    stack.add(new int[]{i + 1, j});
                }
                if (qStar) {
                    stack.add(new int[]{i, j + 1});
                }
                if (i < p.size() && j < q.size() && p.get(i).sharesACharWith(q.get(j))) {
                    stack.add(new int[]{pStar ? i : i + 1, qStar ? j : j + 1});
                }
            }
            return false;
        }
    }

    /** A wildmatch token within a segment; never matches '/'. */
    private record Token(Kind kind, char literal, String members, boolean negated) {

        enum Kind { LITERAL, ANY, STAR, CLASS }

        static final Token STAR = new Token(Kind.STAR, '\0', null, false);
        static final Token ANY = new Token(Kind.ANY, '\0', null, false);
        /** Beyond this many members a class is assumed to overlap anything: sound, and bounded work. */
        private static final int EXACT_LIMIT = 4096;

        static Token literal(char c) {
            return new Token(Kind.LITERAL, c, null, false);
        }

        static Token charClass(String body) {
            boolean negated = !body.isEmpty() && (body.charAt(0) == '!' || body.charAt(0) == '^');
            return new Token(Kind.CLASS, '\0', negated ? body.substring(1) : body, negated);
        }

        boolean matches(char c) {
            return switch (kind) {
                case LITERAL -> c == literal;
                case ANY, STAR -> c != '/';
                case CLASS -> c != '/' && classContains(c) != negated;
            };
        }

        private boolean classContains(char c) {
            for (int k = 0; k < members.length(); k++) {
                char lo = members.charAt(k);
                if (k + 2 < members.length() && members.charAt(k + 1) == '-') {
                    char hi = members.charAt(k + 2);
                    if (lo <= c && c <= hi) {
                        return true;
                    }
                    k += 2;
                } else if (lo == c) {
                    return true;
                }
            }
            return false;
        }

        boolean sharesACharWith(Token other) {
            if (kind == Kind.LITERAL) {
                return other.matches(literal);
            }
            if (other.kind == Kind.LITERAL) {
                return matches(other.literal);
            }
            if (kind != Kind.CLASS || negated) {
                // ANY, STAR or a negated class: infinitely many chars, so only a positive class can exclude
                return other.kind != Kind.CLASS || other.negated || other.anyMemberMatching(this);
            }
            return anyMemberMatching(other);
        }

        // enumerate this positive class's members (bounded) and test them against other
        private boolean anyMemberMatching(Token other) {
            int tried = 0;
            for (int k = 0; k < members.length(); k++) {
                char lo = members.charAt(k);
                char hi = lo;
                if (k + 2 < members.length() && members.charAt(k + 1) == '-') {
                    hi = members.charAt(k + 2);
                    k += 2;
                }
                for (int c = lo; c <= hi; c++) {
                    if (++tried > EXACT_LIMIT) {
                        return true;
                    }
                    if (c != '/' && other.matches((char) c)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
