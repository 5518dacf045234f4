package dev.stigmergy.stig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a commit or a range changes, read with the {@code git} command (so exactly what git will record): each
 * changed path with the line ranges its hunks replace, in the coordinates of the old side (the version the agents
 * declared their intents against). 1-based, both ends inclusive; an insertion between lines n and n+1 counts as
 * line n (line 1 at the top); added, deleted and binary files have no ranges (the whole file).
 */
final class GitChanges {

    /**
     * @param path   repo-relative path
     * @param ranges {@code [start, end]} pairs; empty for the whole file
     */
    record ChangedFile(String path, List<int[]> ranges) {
    }

    private static final Pattern HUNK = Pattern.compile("^@@ -(\\d+)(?:,(\\d+))? \\+\\d+(?:,\\d+)? @@");

    private GitChanges() {
    }

    /** The staged changes (the index against HEAD) of the repository at {@code root}. */
    static List<ChangedFile> staged(Path root) {
        return parse(git(root, "diff", "--cached", "-U0", "--no-color", "--no-ext-diff", "--no-renames"));
    }

    /** What {@code to} changes since {@code from}. */
    static List<ChangedFile> between(Path root, String from, String to) {
        return parse(git(root, "diff", "-U0", "--no-color", "--no-ext-diff", "--no-renames", from, to));
    }

    /** Parses {@code git diff -U0 --no-renames} output. */
    static List<ChangedFile> parse(String diff) {
        List<ChangedFile> files = new ArrayList<>();
        String path = null;
        boolean whole = false;
        List<int[]> ranges = new ArrayList<>();
        for (String line : diff.split("\n")) {
            if (line.startsWith("diff --git ")) {
                if (path != null) {
                    files.add(new ChangedFile(path, whole ? List.of() : List.copyOf(ranges)));
                }
                // "diff --git a/P b/P": without renames both sides are the same path
                String sides = line.substring("diff --git ".length());
                path = sides.substring(2, 2 + (sides.length() - 5) / 2);
                whole = false;
                ranges = new ArrayList<>();
            } else if (path == null) {
                continue;
            } else if (line.startsWith("new file mode") || line.startsWith("deleted file mode")
                    || line.startsWith("Binary files")) {
                whole = true;
            } else if (line.startsWith("@@")) {
                Matcher m = HUNK.matcher(line);
                if (m.find()) {
                    int start = Integer.parseInt(m.group(1));
                    int count = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
                    int first = Math.max(start, 1);
                    ranges.add(count == 0 ? new int[] {first, first} : new int[] {first, start + count - 1});
                }
            }
        }
        if (path != null) {
            files.add(new ChangedFile(path, whole ? List.of() : List.copyOf(ranges)));
        }
        return files;
    }

    /** Runs git in {@code root} and answers its standard output. */
    static String git(Path root, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-c", "core.quotepath=false"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            process.getOutputStream().close();
            String out = read(process.getInputStream());
            int code = process.waitFor();
            if (code != 0) {
                throw new StigException(Exit.FAILED, String.join(" ", command) + " failed (exit " + code + ")");
            }
            return out;
        } catch (IOException e) {
            throw new StigException(Exit.FAILED, "cannot run git: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StigException(Exit.FAILED, "interrupted while running git");
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
