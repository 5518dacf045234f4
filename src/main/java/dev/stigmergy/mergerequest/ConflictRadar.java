package dev.stigmergy.mergerequest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.git.FileOverlap;
import dev.stigmergy.git.GitRepositories;
import dev.stigmergy.git.GitRepository;
import dev.stigmergy.git.Hunk;
import dev.stigmergy.git.OverlapReport;
import dev.stigmergy.git.RefSnapshot;
import dev.stigmergy.intent.GitAwareness;
import dev.stigmergy.intent.Verification;
import dev.stigmergy.pheromone.ServiceSignals;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The conflict radar (issue 28): reads an environment's refs once, finds the open merge requests whose source
 * or target moved, recomputes only the pairs of a moved source with the other open merge requests of its
 * target, and keeps the signals in line: {@code merge_conflict_risk} on both merge requests of each colliding
 * pair, {@code files_blocked} on a merge request whose changed files another agent holds at L3/L4. A moved target
 * recomputes no pair (the trial merge is of the two sources against their own merge base; decision 0005): it only
 * refreshes its merge requests' changed files and {@code files_blocked}.
 *
 * <p>A pair collides when the trial merge of the two sources conflicts (as {@code git merge-tree} would) or
 * their hunks overlap or touch. Trial merges are cached in memory by commit pair; the pair rows remember the
 * commits they were computed at, so an unchanged pair is never recomputed. The pairs a read must compute run
 * side by side ({@code stigmergy.merge-requests.parallelism} threads); their results are then written in order.
 */
@ApplicationScoped
public class ConflictRadar {

    static final String RISK = "merge_conflict_risk";
    static final String FILES_BLOCKED = "files_blocked";
    static final String KIND = "merge-request";

    private final MergeRequestRepository rows;
    private final EnvironmentService environments;
    private final GitRepositories repositories;
    private final GitAwareness gitAwareness;
    private final ServiceSignals pheromones;
    private final EventLog events;
    private final EntityManager em;
    private final Clock clock;
    private final Cache<String, OverlapReport> trialMerges;
    // trial merges only read the repository: a moved source's pairs are computed side by side
    private final ExecutorService trialMergePool;

    public ConflictRadar(MergeRequestRepository rows, EnvironmentService environments, GitRepositories repositories,
                         GitAwareness gitAwareness, ServiceSignals pheromones, EventLog events, EntityManager em,
                         Clock clock, MergeRequestConfig config) {
        this.rows = rows;
        this.environments = environments;
        this.repositories = repositories;
        this.gitAwareness = gitAwareness;
        this.pheromones = pheromones;
        this.events = events;
        this.em = em;
        this.clock = clock;
        this.trialMerges = Caffeine.newBuilder().maximumSize(config.cacheSize()).build();
        int threads = config.parallelism() > 0 ? config.parallelism() : Runtime.getRuntime().availableProcessors();
        AtomicInteger named = new AtomicInteger();
        this.trialMergePool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "radar-trial-merge-" + named.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        trialMergePool.shutdownNow();
    }

    /** Environments that have open merge requests, by name: what a poll reads. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<String> environmentsToPoll() {
        return rows.environmentsWithOpen();
    }

    /**
     * Reads the environment's refs (fetching a clone URL's mirror first: one remote read) and brings every open
     * merge request's pairs and signals in line with them. Serialised per environment.
     *
     * @throws dev.stigmergy.api.NotFoundException unknown environment (404)
     * @throws InvalidInputException               the environment has no repository (400)
     */
    @Transactional
    public RefsRead refresh(String environment) {
        Instant now = clock.instant();
        EnvironmentView env = environments.get(environment);
        if (env.repository() == null) {
            throw new InvalidInputException("environment '" + environment + "' has no repository");
        }
        // a poll and a hook's call on one environment would otherwise compute the same pairs twice
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext(:key))")
                .setParameter("key", "merge-request-radar:" + environment).getSingleResult();
        repositories.refresh(env.repository());
        try (GitRepository git = repositories.open(env.repository())) {
            RefSnapshot refs = git.refs();
            List<MergeRequestRepository.Row> open = new ArrayList<>();
            for (MergeRequestRepository.Row row : rows.inEnvironment(environment, true)) {
                // merged or closed through the generic entity API: it leaves the radar here
                if ("merged".equals(row.entityStatus()) || "closed".equals(row.entityStatus())) {
                    rows.state(row.key(), row.entityStatus(), now);
                    retire(environment, row.key(), now);
                } else {
                    open.add(row);
                }
            }
            Map<String, String[]> commits = new LinkedHashMap<>(); // key -> {source, target}
            List<String> moved = new ArrayList<>();
            List<String> sourceMoved = new ArrayList<>();
            List<String> unresolved = new ArrayList<>();
            Map<String, List<String>> changed = new LinkedHashMap<>();
            for (MergeRequestRepository.Row row : open) {
                String source = refs.resolve(row.sourceRef());
                String target = refs.resolve(row.targetRef());
                if (source == null || target == null) {
                    unresolved.add(row.key());
                    continue;
                }
                commits.put(row.key(), new String[]{source, target});
                List<String> files = row.changedFiles();
                if (!source.equals(row.sourceCommit()) || !target.equals(row.targetCommit())) {
                    moved.add(row.key());
                    if (!source.equals(row.sourceCommit())) {
                        sourceMoved.add(row.key());
                    }
                    files = changedFiles(git, target, source);
                    rows.moved(row.key(), source, target, files, now);
                    events.append(now, "merge-request.moved", environment, KIND + "/" + row.key(), null,
                            Map.of("sourceRef", row.sourceRef(), "sourceCommit", source,
                                    "previousSourceCommit", Objects.toString(row.sourceCommit(), ""),
                                    "targetRef", row.targetRef(), "targetCommit", target));
                }
                changed.put(row.key(), files == null ? List.of() : files);
            }

            List<PairToCompare> pairs = new ArrayList<>();
            TreeSet<String> done = new TreeSet<>();
            for (String key : sourceMoved) {
                MergeRequestRepository.Row mine = find(open, key);
                for (MergeRequestRepository.Row other : open) {
                    if (other.key().equals(key) || !other.targetRef().equals(mine.targetRef())
                            || !commits.containsKey(other.key())) {
                        continue;
                    }
                    String a = key.compareTo(other.key()) < 0 ? key : other.key();
                    String b = a.equals(key) ? other.key() : key;
                    if (done.add(a + "\u0000" + b)) {
                        pairs.add(new PairToCompare(a, b, mine.targetRef(), commits.get(a)[0], commits.get(b)[0],
                                rows.pair(a, b)));
                    }
                }
            }
            Map<PairToCompare, Trial> trials = trialMerges(git, env, pairs);
            List<List<String>> recomputed = new ArrayList<>();
            List<List<String>> cached = new ArrayList<>();
            List<List<String>> colliding = new ArrayList<>();
            for (PairToCompare pair : pairs) {
                Trial trial = trials.get(pair); // none: the pair's row is at these commits already
                (trial != null && trial.computed() ? recomputed : cached).add(List.of(pair.a(), pair.b()));
                boolean collides = trial == null ? pair.before().colliding() : publish(env, pair, trial.report(), now);
                if (collides) {
                    colliding.add(List.of(pair.a(), pair.b()));
                }
            }
            for (MergeRequestRepository.Row row : open) {
                if (changed.containsKey(row.key())) {
                    keepFilesBlocked(row, changed.get(row.key()), now);
                }
            }
            return new RefsRead(environment, now, moved, recomputed, cached, colliding, unresolved);
        }
    }

    /**
     * Ends what an open merge request had on the radar when it is merged or closed: its pairs, their
     * {@code merge_conflict_risk} on both sides, and its {@code files_blocked}. Idempotent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void retire(String environment, String key, Instant now) {
        for (MergeRequestRepository.PairRow pair : rows.removePairsOf(key)) {
            if (pair.colliding()) {
                retractRisk(pair.keyA(), pair.keyB());
                events.append(now, "merge-request.conflict-cleared", environment, KIND + "/" + key, null,
                        Map.of("a", pair.keyA(), "b", pair.keyB(), "reason", "closed"));
            }
        }
        pheromones.retractServiceSignal(KIND, key, FILES_BLOCKED, source(key));
        rows.blockedFiles(key, null);
    }

    /** A pair of open merge requests on one target to bring in line; {@code before} is its row, if any. */
    private record PairToCompare(String a, String b, String targetRef, String commitA, String commitB,
                                 MergeRequestRepository.PairRow before) {
        boolean unchanged() {
            return before != null && before.commitA().equals(commitA) && before.commitB().equals(commitB);
        }
    }

    /** A pair's trial merge and whether this read computed it (else it came from the commit-pair cache). */
    private record Trial(OverlapReport report, boolean computed) {
    }

    /**
     * The trial merge of each pair whose row is not at its commits: from the commit-pair cache, or computed, the
     * computations side by side on the radar's pool (they only read the repository). A pair left out is unchanged.
     */
    private Map<PairToCompare, Trial> trialMerges(GitRepository git, EnvironmentView env, List<PairToCompare> pairs) {
        Map<PairToCompare, Trial> trials = new IdentityHashMap<>();
        Map<PairToCompare, Future<OverlapReport>> running = new LinkedHashMap<>();
        for (PairToCompare pair : pairs) {
            if (pair.unchanged()) {
                continue;
            }
            OverlapReport report = trialMerges.getIfPresent(cacheKey(env, pair));
            if (report != null) {
                trials.put(pair, new Trial(report, false));
            } else {
                running.put(pair, pairs.size() == 1
                        ? CompletableFuture.completedFuture(git.overlap(pair.commitA(), pair.commitB()).run())
                        : trialMergePool.submit(() -> git.overlap(pair.commitA(), pair.commitB()).run()));
            }
        }
        try {
            for (Map.Entry<PairToCompare, Future<OverlapReport>> e : running.entrySet()) {
                OverlapReport report = e.getValue().get();
                trialMerges.put(cacheKey(env, e.getKey()), report);
                trials.put(e.getKey(), new Trial(report, true));
            }
        } catch (ExecutionException e) {
            running.values().forEach(f -> f.cancel(true));
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            running.values().forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while comparing merge requests", e);
        }
        return trials;
    }

    private static String cacheKey(EnvironmentView env, PairToCompare pair) {
        return env.repository() + "\u0000" + pair.commitA() + "\u0000" + pair.commitB();
    }

    /** Stores the pair's result and keeps its signals and events in line. @return whether the pair collides */
    private boolean publish(EnvironmentView env, PairToCompare pair, OverlapReport report, Instant now) {
        String a = pair.a();
        String b = pair.b();
        List<ConflictMatrix.ConflictFile> files = collidingFiles(report);
        boolean collides = !files.isEmpty();
        ConflictMatrix.PairConflict conflict = new ConflictMatrix.PairConflict(a, b, pair.targetRef(), pair.commitA(),
                pair.commitB(), !report.clean(), files.stream().anyMatch(f -> !f.collidingHunks().isEmpty()),
                report.mergeBaseCount(), files, now);
        rows.savePair(env.name(), a, b, pair.commitA(), pair.commitB(), collides, !report.clean(), rows.write(conflict), now);
        boolean was = pair.before() != null && pair.before().colliding();
        if (collides) {
            keepRisk(conflict);
            events.append(now, "merge-request.conflict", env.name(), KIND + "/" + a, null,
                    Map.of("a", a, "b", b, "conflicts", conflict.conflicts(), "touching", conflict.touching(),
                            "files", files.stream().map(ConflictMatrix.ConflictFile::path).toList()));
        } else if (was) {
            retractRisk(a, b);
            events.append(now, "merge-request.conflict-cleared", env.name(), KIND + "/" + a, null,
                    Map.of("a", a, "b", b, "reason", "no longer colliding"));
        }
        return collides;
    }

    static List<ConflictMatrix.ConflictFile> collidingFiles(OverlapReport report) {
        List<ConflictMatrix.ConflictFile> files = new ArrayList<>();
        for (FileOverlap file : report.files()) {
            if (file.conflicts() || !file.collidingHunks().isEmpty()) {
                String path = file.pathA() != null ? file.pathA() : file.pathB() != null ? file.pathB() : file.basePath();
                files.add(new ConflictMatrix.ConflictFile(path, file.pathA(), file.pathB(), file.conflicts(),
                        file.collidingHunks()));
            }
        }
        return files;
    }

    // each side's signal names the other merge request, the files and its own hunks first
    private void keepRisk(ConflictMatrix.PairConflict pair) {
        pheromones.keepServiceSignal(KIND, pair.a(), RISK, source(pair.b()), riskPayload(pair, pair.b(), false));
        pheromones.keepServiceSignal(KIND, pair.b(), RISK, source(pair.a()), riskPayload(pair, pair.a(), true));
    }

    private void retractRisk(String a, String b) {
        pheromones.retractServiceSignal(KIND, a, RISK, source(b));
        pheromones.retractServiceSignal(KIND, b, RISK, source(a));
    }

    private static Map<String, Object> riskPayload(ConflictMatrix.PairConflict pair, String other, boolean swap) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (ConflictMatrix.ConflictFile file : pair.files()) {
            List<Map<String, Hunk>> hunks = new ArrayList<>();
            for (List<Hunk> h : file.collidingHunks()) {
                hunks.add(Map.of("mine", swap ? h.get(1) : h.get(0), "theirs", swap ? h.get(0) : h.get(1)));
            }
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("path", file.path());
            f.put("conflicts", file.conflicts());
            f.put("hunks", hunks);
            files.add(f);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("other", KIND + "/" + other);
        payload.put("conflicts", pair.conflicts());
        payload.put("touching", pair.touching());
        payload.put("files", files);
        return payload;
    }

    private void keepFilesBlocked(MergeRequestRepository.Row row, List<String> changed, Instant now) {
        List<Verification.BlockedPath> blocked = gitAwareness.blockedPaths(row.environment(), changed, row.author());
        List<Map<String, Object>> files = new ArrayList<>();
        for (Verification.BlockedPath path : blocked) {
            for (var hold : path.holds()) {
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("path", path.path());
                f.put("holder", hold.holder());
                f.put("level", hold.level());
                f.put("intentId", hold.intentId());
                f.put("expiresAt", hold.expiresAt().toString());
                files.add(f);
            }
        }
        String serialised = files.isEmpty() ? null : rows.write(files);
        if (Objects.equals(normalise(serialised), normalise(row.blockedFiles()))) {
            return; // unchanged: no new signal, no event
        }
        rows.blockedFiles(row.key(), serialised);
        if (files.isEmpty()) {
            pheromones.retractServiceSignal(KIND, row.key(), FILES_BLOCKED, source(row.key()));
        } else {
            pheromones.keepServiceSignal(KIND, row.key(), FILES_BLOCKED, source(row.key()), Map.of("files", files));
        }
    }

    private String normalise(String json) {
        return json == null ? null : rows.write(rows.read(json, new TypeReference<List<Map<String, Object>>>() { }));
    }

    private static List<String> changedFiles(GitRepository git, String target, String source) {
        return git.changedSinceMergeBase(target, source);
    }

    private static String source(String key) {
        return "merge-request:" + key;
    }

    private static MergeRequestRepository.Row find(List<MergeRequestRepository.Row> open, String key) {
        return open.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
}
