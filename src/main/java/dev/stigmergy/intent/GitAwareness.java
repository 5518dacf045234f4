package dev.stigmergy.intent;

import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.git.GitRepositories;
import dev.stigmergy.git.GitRepository;
import dev.stigmergy.git.OverlapReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What agents' actual changes do, read from the environment's repository (DESIGN.md §4 "Git awareness"):
 * pairwise edit overlaps of refs, and the check pre-commit and pre-push hooks make against others' holds.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class GitAwareness {

    private final EnvironmentService environments;
    private final GitRepositories repositories;
    private final IntentRepository intents;
    private final IntentConfig config;
    private final Clock clock;

    public GitAwareness(EnvironmentService environments, GitRepositories repositories, IntentRepository intents,
                        IntentConfig config, Clock clock) {
        this.environments = environments;
        this.repositories = repositories;
        this.intents = intents;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Compares every pair of refs: merge base, files both change (renames followed), hunks in base
     * coordinates, colliding hunks and a trial merge. A clone URL's mirror is fetched first.
     *
     * @throws dev.stigmergy.api.NotFoundException     unknown environment (404)
     * @throws InvalidInputException                   the environment has no repository (400)
     * @throws dev.stigmergy.git.UnknownRefException   a ref does not resolve (400)
     */
    public EditOverlaps editOverlaps(String environment, CompareRefs request) {
        String location = repositoryOf(environment);
        repositories.refresh(location);
        int context = request.contextLines() == null ? 0 : request.contextLines();
        List<OverlapReport> pairs = new ArrayList<>();
        try (GitRepository git = repositories.open(location)) {
            for (int i = 0; i < request.refs().size(); i++) {
                for (int j = i + 1; j < request.refs().size(); j++) {
                    pairs.add(git.overlap(request.refs().get(i), request.refs().get(j)).contextLines(context).run());
                }
            }
        }
        return new EditOverlaps(environment, pairs);
    }

    /**
     * Which of the changed files collide with what an agent other than the caller holds at L3 or L4, like Git LFS's
     * {@code ours/theirs} lock check. A change is judged as an L3 declaration of its lines by the same rule as
     * declaring ({@link IntentOverlap#colliding}): an L4 hold covers its whole file; an L3 hold on a plain path
     * collides only with hunks within the context margin of its line ranges (staged files' hunks as sent, a commit
     * range's hunks as the repository diffs it, in the old side's lines); plain paths are judged as whole files.
     *
     * @throws dev.stigmergy.api.NotFoundException unknown environment (404): a hook then only warns
     * @throws InvalidInputException               not exactly one of paths, files and a range, or a range on an
     *                                             environment without repository, or a bad path (400)
     */
    public Verification verify(String environment, VerifyChanges request, Caller caller) {
        EnvironmentView env = environments.get(environment);
        boolean range = request.fromCommit() != null || request.toCommit() != null;
        // generated clients send absent lists as empty ones: an empty list counts as not given, unless it is alone
        boolean paths = request.paths() != null && !request.paths().isEmpty();
        boolean files = request.files() != null && !request.files().isEmpty();
        int given = (range ? 1 : 0) + (paths ? 1 : 0) + (files ? 1 : 0);
        if (given > 1 || (given == 0 && request.paths() == null && request.files() == null)) {
            throw new InvalidInputException("give one of paths, files, or fromCommit and toCommit");
        }
        // path -> touched line ranges; an empty list is the whole file
        TreeMap<String, List<LineRange>> touched = new TreeMap<>();
        if (range) {
            if (request.fromCommit() == null || request.toCommit() == null) {
                throw new InvalidInputException("a range needs both fromCommit and toCommit");
            }
            if (env.repository() == null) {
                throw new InvalidInputException("environment '" + environment + "' has no repository; send paths");
            }
            repositories.refresh(env.repository());
            try (GitRepository git = repositories.open(env.repository())) {
                git.changedHunks(request.fromCommit(), request.toCommit())
                        .forEach((path, hunks) -> touched.put(path, hunks.stream().map(GitAwareness::lines).toList()));
            }
        } else if (paths) {
            request.paths().forEach(p -> touched.put(PathPattern.parse(p).text(), List.of()));
        } else if (files) {
            for (TouchedFile file : request.files()) {
                List<LineRange> lines = file.lineRanges() == null ? List.of() : file.lineRanges();
                touched.merge(PathPattern.parse(file.path()).text(), lines, (a, b) -> a.isEmpty() || b.isEmpty()
                        ? List.of() : Stream.concat(a.stream(), b.stream()).toList());
            }
        }
        List<Verification.BlockedPath> blocked = blockedPaths(environment, touched, caller.agentId());
        return new Verification(blocked.isEmpty(), List.copyOf(touched.keySet()), blocked);
    }

    // the old-side lines a hunk replaces, 1-based inclusive; an insertion touches the line it follows (as stig's
    // staged hunks do)
    private static LineRange lines(dev.stigmergy.git.Hunk hunk) {
        if (hunk.lineCount() == 0) {
            int after = Math.max(hunk.startLine() - 1, 1);
            return new LineRange(after, after);
        }
        return new LineRange(hunk.startLine(), hunk.startLine() + hunk.lineCount() - 1);
    }

    /**
     * Which of {@code paths}, as whole files, collide with what an agent other than {@code agentId} holds at L3 or
     * L4: the rule behind {@link #verify}, also applied to a merge request's changed files.
     *
     * @param paths canonical repo-relative file paths
     * @return the blocked paths in path order, each with its holds
     */
    public List<Verification.BlockedPath> blockedPaths(String environment, java.util.Collection<String> paths,
                                                       String agentId) {
        TreeMap<String, List<LineRange>> wholeFiles = new TreeMap<>();
        paths.forEach(p -> wholeFiles.put(p, List.of()));
        return blockedPaths(environment, wholeFiles, agentId);
    }

    /**
     * Which touched files collide with what an agent other than {@code agentId} holds at L3 or L4, judged as an L3
     * declaration of the touched lines by the rule of declaring ({@link IntentOverlap#colliding}).
     *
     * @param touched canonical repo-relative path to its touched line ranges (1-based, inclusive); an empty list
     *                is the whole file
     * @return the blocked paths in the map's order, each with its holds
     */
    private List<Verification.BlockedPath> blockedPaths(String environment, Map<String, List<LineRange>> touched,
                                                        String agentId) {
        Instant now = clock.instant();
        List<PathPattern> patterns = touched.keySet().stream().map(PathPattern::parse).toList();
        List<HeldFile> held = intents.heldFilesThatMayOverlap(environment, agentId, patterns, now).stream()
                .filter(h -> h.level() >= 3).toList();
        // touched paths are plain paths: the repository's tree is never needed to decide between two globs
        IntentOverlap overlap = new IntentOverlap(held, () -> null, config.contextLines());
        Map<String, HeldFileView> views = null;
        List<Verification.BlockedPath> blocked = new ArrayList<>();
        for (Map.Entry<String, List<LineRange>> file : touched.entrySet()) {
            List<HeldFile> colliding = overlap.colliding(PathPattern.parse(file.getKey()), 3, file.getValue());
            if (colliding.isEmpty()) {
                continue;
            }
            if (views == null) {
                views = new HashMap<>();
                for (HeldFileView view : intents.heldFiles(environment, 3, now)) {
                    views.put(view.intentId() + "\0" + view.path(), view);
                }
            }
            List<HeldFileView> holds = new ArrayList<>();
            for (HeldFile h : colliding) {
                HeldFileView view = views.get(h.intentId() + "\0" + h.path());
                if (view != null) {
                    holds.add(view);
                }
            }
            blocked.add(new Verification.BlockedPath(file.getKey(), file.getValue(), holds));
        }
        return blocked;
    }

    /**
     * Compares what an intent's branch really changes with what it declared (undeclared edits) and with
     * other active intents: on real hunks when they name a branch too, on declared paths otherwise.
     *
     * @throws dev.stigmergy.api.NotFoundException   no such intent (404)
     * @throws dev.stigmergy.api.ForbiddenException  its environment is outside the caller's scope (403)
     * @throws InvalidInputException                 the intent names no branch, or its environment has no
     *                                               repository (400)
     * @throws dev.stigmergy.git.UnknownRefException its branch or base does not resolve (400)
     */
    public IntentChanges changes(long intentId, Caller caller) {
        java.time.Instant now = clock.instant();
        IntentView intent = intents.find(intentId, now);
        if (intent == null) {
            throw new dev.stigmergy.api.NotFoundException("intent", String.valueOf(intentId));
        }
        caller.requireEnvironment(intent.environment());
        if (intent.branch() == null) {
            throw new InvalidInputException("intent " + intentId + " names no branch");
        }
        String location = repositoryOf(intent.environment());
        repositories.refresh(location);
        List<PathPattern> declared = intent.files().stream().map(f -> PathPattern.parse(f.path())).toList();
        try (GitRepository git = repositories.open(location)) {
            String base = intent.baseCommit() != null ? intent.baseCommit() : git.defaultRef();
            OverlapReport own = git.overlap(base, intent.branch()).run();
            List<String> changed = own.changedB();
            List<String> undeclared = changed.stream().filter(p -> declared.stream().noneMatch(d -> d.matches(p))).toList();
            List<IntentChanges.OtherIntent> others = new ArrayList<>();
            for (IntentView other : intents.query(" where environment = :environment and status = 'ACTIVE' and expires_at > :now"
                    + " and id <> :id and agent <> :agent", java.util.Map.of("environment", intent.environment(), "id", intentId,
                    "agent", intent.agent()), now, 1000)) {
                if (other.branch() != null) {
                    OverlapReport real = git.overlap(intent.branch(), other.branch()).run();
                    if (!real.files().isEmpty()) {
                        others.add(new IntentChanges.OtherIntent(other.id(), other.agent(), other.branch(), real.files(),
                                real.conflictingPaths(), List.of()));
                    }
                } else {
                    List<String> covering = other.files().stream().filter(f -> "HELD".equals(f.status()))
                            .map(IntentFileView::path)
                            .filter(path -> changed.stream().anyMatch(PathPattern.parse(path)::matches)).toList();
                    if (!covering.isEmpty()) {
                        others.add(new IntentChanges.OtherIntent(other.id(), other.agent(), null, List.of(), List.of(),
                                covering));
                    }
                }
            }
            return new IntentChanges(intentId, intent.branch(), base, own.mergeBase(), changed, undeclared, others);
        }
    }

    /**
     * Every file path in the tree of {@code ref} in the environment's repository, sorted. A clone URL's mirror
     * is fetched first.
     *
     * @throws dev.stigmergy.api.NotFoundException   unknown environment (404)
     * @throws InvalidInputException                 the environment has no repository (400)
     * @throws dev.stigmergy.git.UnknownRefException the ref does not resolve (400)
     */
    public List<String> files(String environment, String ref) {
        String location = repositoryOf(environment);
        repositories.refresh(location);
        try (GitRepository git = repositories.open(location)) {
            // an unborn HEAD stands for the default branch, as in changes()
            return git.files("HEAD".equals(ref) ? git.defaultRef() : ref);
        }
    }

    private String repositoryOf(String environment) {
        EnvironmentView env = environments.get(environment);
        if (env.repository() == null) {
            throw new InvalidInputException("environment '" + environment + "' has no repository");
        }
        return env.repository();
    }
}
