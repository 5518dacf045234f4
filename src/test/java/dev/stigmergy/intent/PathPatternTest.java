package dev.stigmergy.intent;

import dev.stigmergy.api.InvalidInputException;
import org.eclipse.jgit.ignore.FastIgnoreRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathPatternTest {

    @ParameterizedTest(name = "{0} vs {1} → {2}")
    @CsvSource({
            // globs against globs: a naive matcher (one pattern matched literally against the other) misses the first
            "src/*.py,         src/a*,            true",
            "src/*.py,         src/*.java,        false",
            "src/a*.py,        src/*b.py,         true",
            "src/a?.py,        src/abc.py,        false",
            "src/[abc].py,     src/[cde].py,      true",
            "src/[ab].py,      src/[cd].py,       false",
            "src/[!a].py,      src/a.py,          false",
            "src/[!a].py,      src/b.py,          true",
            "src/**/*.java,    src/main/App.java, true",
            "src/**/*.java,    src/App.java,      true",
            "src/**/*.java,    test/App.java,     false",
            "**/*.md,          docs/a/b/README.md, true",
            "**/test/**,       src/*/main/**,     true",
            // directories and paths
            "src/auth/,        src/auth/login.py, true",
            "src/auth,         src/auth/login.py, true",
            "src/auth/,        src/authz/x.py,    false",
            "src/auth/login.py, src/auth/login.py, true",
            "src/auth/login.py, src/auth/logout.py, false",
            "src/*/,           src/auth/x.py,     true",
            "a/b,              a,                 true",
            "*,                deep/nested/file,  true",
            "*.py,             deep/nested/file.py, false",
    })
    void overlapIsDecidedSegmentBySegment(String a, String b, boolean expected) {
        PathPattern pa = PathPattern.parse(a.trim());
        PathPattern pb = PathPattern.parse(b.trim());
        assertEquals(expected, pa.overlaps(pb), a + " vs " + b);
        assertEquals(expected, pb.overlaps(pa), "overlap is symmetric: " + b + " vs " + a);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "src/../../x", "/etc/passwd", "src\\win.py", "./src/a.py", "src//a.py",
            "src/./a.py", "a\u0000b", "src/[abc.py", "", "tab\there"})
    void nonCanonicalPathsAreRefused(String path) {
        assertThrows(InvalidInputException.class, () -> PathPattern.parse(path));
    }

    @Test
    void matchingAgreesWithJGitWildmatchOnConcreteFiles() {
        List<String> patterns = List.of("src/*.py", "src/a*", "src/**/*.java", "**/*.md", "src/[abc]*.py",
                "src/[!a]*.py", "docs/?.txt", "src/main/App.java", "src/**", "*/README.md", "**/test/**/*.py");
        List<String> files = List.of("src/a.py", "src/b.py", "src/abc.py", "src/x/a.py", "src/main/App.java",
                "src/App.java", "README.md", "docs/guide/intro.md", "docs/a.txt", "docs/ab.txt", "lib/README.md",
                "src/test/unit/t.py", "test/a/b/c.py", "src/catalog.py");
        for (String pattern : patterns) {
            FastIgnoreRule jgit = new FastIgnoreRule("/" + pattern);
            for (String file : files) {
                assertEquals(jgit.isMatch(file, false, true), PathPattern.parse(pattern).matches(file),
                        pattern + " on " + file);
            }
        }
    }

    @Test
    void aPatternCoversWhatIsBeneathIt() {
        assertTrue(PathPattern.parse("src/auth").matches("src/auth/login.py"));
        assertFalse(PathPattern.parse("src/auth").matches("src/authz.py"));
        assertTrue(PathPattern.parse("src/").isGlob() == false);
        assertTrue(PathPattern.parse("src/*.py").isGlob());
    }
}
