package dev.stigmergy.stig;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.BlockedPath;
import dev.stigmergy.client.model.HeldFileView;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.TouchedFile;
import dev.stigmergy.client.model.Verification;
import dev.stigmergy.client.model.VerifyChanges;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stig verify}: would this commit (or push) touch what another agent holds at L3/L4? What the git hooks
 * installed by {@code stig install-hooks} run. The service decides; this door only reads git and asks.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check staged changes (default), a commit range, or the commits a push sends against other "
                + "agents' L3/L4 holds: each hunk's lines against held line ranges, by the rule intents are declared by "
                + "(L4 holds whole files). Exit 3 when a change collides; 5 when the service cannot "
                + "be reached (hooks then refuse: fail closed). An environment the service does not know only warns.",
        footer = {"", "Example:", "  git add -A && stig verify", "  stig verify --range origin/main..HEAD",
                "  stig verify src/App.java          # whole files, without git"})
final class VerifyCommand extends StigCommand {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "check these whole paths instead of git changes")
    List<String> paths = new ArrayList<>();

    @Option(names = "--range", paramLabel = "FROM..TO", description = "check what TO changes since FROM")
    String range;

    @Option(names = "--pre-push", description = "read git's pre-push lines from standard input and check the pushed commits")
    boolean prePush;

    @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
    String environment;

    @Override
    int run() throws Exception {
        Map<String, GitChanges.ChangedFile> changed = new LinkedHashMap<>();
        if (!paths.isEmpty()) {
            paths.forEach(p -> changed.put(p, new GitChanges.ChangedFile(p, List.of())));
        } else {
            Path root = settings().repositoryRoot();
            if (root == null) {
                throw new StigException(Exit.USAGE, "not inside a git repository: give paths to check");
            }
            List<GitChanges.ChangedFile> files = new ArrayList<>();
            if (range != null) {
                String[] ends = range.split("\\.\\.", 2);
                if (ends.length != 2 || ends[0].isBlank() || ends[1].isBlank()) {
                    throw new StigException(Exit.USAGE, "--range is FROM..TO");
                }
                files.addAll(GitChanges.between(root, ends[0], ends[1]));
            } else if (prePush) {
                files.addAll(pushed(root));
            } else {
                files.addAll(GitChanges.staged(root));
            }
            files.forEach(f -> changed.merge(f.path(), f, VerifyCommand::union));
        }
        if (changed.isEmpty()) {
            print(new Verification().ok(true), "nothing to check");
            return Exit.DONE;
        }
        String env = settings().environment(environment);
        Verification answer;
        try {
            answer = client().intents().verifyChanges(env, request(changed.values()));
        } catch (ApiException e) {
            if (e.getCode() == 404 && e.getResponseBody() != null && e.getResponseBody().contains("environment '")) {
                err().println("stig: warning: environment '" + env + "' is not registered; holds not checked");
                print(new Verification().ok(true), "not checked");
                return Exit.DONE;
            }
            throw e;
        }
        if (answer.getOk()) {
            print(answer, "ok: " + answer.getTouched().size() + " path(s), none held by another agent at L3/L4");
            return Exit.DONE;
        }
        StringBuilder text = new StringBuilder("refused: held by other agents at L3/L4\n");
        for (BlockedPath b : answer.getBlocked()) {
            for (HeldFileView h : b.getHolds()) {
                text.append("  ").append(b.getPath()).append(IntentCommands.ranges(b.getLineRanges())).append(": ")
                        .append(h.getHolder()).append(" holds ").append(h.getPath()).append(IntentCommands.ranges(h.getLineRanges()))
                        .append(" at L").append(h.getLevel()).append(" (intent ").append(h.getIntentId()).append(" on ")
                        .append(h.getEntity()).append(") until ").append(until(h.getExpiresAt()))
                        .append("\n    ask: stig request-unlock --intent ").append(h.getIntentId())
                        .append(" --reason '<why you need it>'\n");
            }
        }
        if (json) {
            out().println(toJson(answer));
            out().flush();
        }
        throw new StigException(Exit.REFUSED, text.toString().stripTrailing());
    }

    /** The changed files with their hunks' line ranges: the service judges them by the rule intents are declared by. */
    static VerifyChanges request(Collection<GitChanges.ChangedFile> files) {
        VerifyChanges request = new VerifyChanges().paths(null);
        for (GitChanges.ChangedFile f : files) {
            TouchedFile touched = new TouchedFile().path(f.path());
            f.ranges().forEach(r -> touched.addLineRangesItem(new LineRange().start(r[0]).end(r[1])));
            request.addFilesItem(touched);
        }
        return request;
    }

    /** The files the pushed commits change: git passes {@code <local ref> <local sha> <remote ref> <remote sha>} lines. */
    private static List<GitChanges.ChangedFile> pushed(Path root) throws Exception {
        List<GitChanges.ChangedFile> files = new ArrayList<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[1].matches("0+")) {
                continue; // a deletion pushes no content
            }
            String from = f[3];
            if (from.matches("0+")) {
                // a new branch: from the parent of the oldest commit no remote has yet
                String[] fresh = GitChanges.git(root, "rev-list", "--reverse", f[1], "--not", "--remotes").split("\n");
                if (fresh.length == 0 || fresh[0].isBlank()) {
                    continue;
                }
                String parents = GitChanges.git(root, "rev-list", "--parents", "-n", "1", fresh[0]).trim();
                String[] ids = parents.split(" ");
                from = ids.length > 1 ? ids[1] : GitChanges.git(root, "hash-object", "-t", "tree", "/dev/null").trim();
            }
            files.addAll(GitChanges.between(root, from, f[1]));
        }
        return files;
    }

    private static GitChanges.ChangedFile union(GitChanges.ChangedFile a, GitChanges.ChangedFile b) {
        if (a.ranges().isEmpty() || b.ranges().isEmpty()) {
            return new GitChanges.ChangedFile(a.path(), List.of());
        }
        List<int[]> ranges = new ArrayList<>(a.ranges());
        ranges.addAll(b.ranges());
        return new GitChanges.ChangedFile(a.path(), ranges);
    }
}
