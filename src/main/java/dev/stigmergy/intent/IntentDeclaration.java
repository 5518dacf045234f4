package dev.stigmergy.intent;

import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.git.GitRepositories;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.pheromone.PheromoneService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Declaring file-update intents (DESIGN.md §4): each declared file judged against other agents' active intents
 * (L1–L4, {@link IntentOverlap}), then the intent created, denied or only judged (dry run). What happens to an
 * intent after its declaration is {@link IntentService}.
 */
@ApplicationScoped
@Transactional
public class IntentDeclaration {

    /** Outcome of {@link #declare}: the decision, and whether it was refused as a whole. */
    public record Declared(IntentDecision decision, boolean denied) {
    }

    private final IntentRepository repository;
    private final EnvironmentService environments;
    private final EntityService entities;
    private final GitRepositories repositories;
    private final FencingTokens tokens;
    private final EventLog events;
    private final IntentConfig config;
    private final FilesBlocked filesBlocked;
    private final PheromoneService pheromones;
    private final Clock clock;

    public IntentDeclaration(IntentRepository repository, EnvironmentService environments, EntityService entities,
                             GitRepositories repositories, FencingTokens tokens, EventLog events, IntentConfig config,
                             FilesBlocked filesBlocked, PheromoneService pheromones, Clock clock) {
        this.repository = repository;
        this.environments = environments;
        this.entities = entities;
        this.repositories = repositories;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.filesBlocked = filesBlocked;
        this.pheromones = pheromones;
        this.clock = clock;
    }

    /**
     * Checks the declared files against other agents' active intents and, unless the mode or a denial
     * says otherwise, creates the intent: one transaction, serialised against every declaration whose paths may
     * overlap these ({@link PathLocks}), so two agents racing for the same file cannot both win. Overlaps, denials
     * and preemptions are recorded as events.
     *
     * @return the decision per file; {@code denied} when nothing was created because of denials (the caller
     *         answers 409 with the decision)
     * @throws NotFoundException     unknown environment or entity (404)
     * @throws InvalidInputException a path is not canonical, declared twice, the entity is in another
     *                               environment, or the lease is out of range (400)
     * @throws dev.stigmergy.git.UnknownRefException the base commit or branch does not resolve (400)
     */
    public Declared declare(String environmentName, DeclareIntent request, Caller caller) {
        Instant now = clock.instant();
        EnvironmentView environment = environments.get(environmentName);
        EntityRef entity = entity(request.entity(), environmentName);
        if (request.leaseSeconds() > config.maxLeaseSeconds()) {
            throw new InvalidInputException("leaseSeconds must be at most " + config.maxLeaseSeconds());
        }
        Map<DeclaredFile, PathPattern> patterns = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (DeclaredFile file : request.files()) {
            PathPattern pattern = PathPattern.parse(file.path());
            if (!seen.add(pattern.text())) {
                throw new InvalidInputException("path '" + file.path() + "' is declared twice");
            }
            patterns.put(file, pattern);
        }
        String baseRef = request.baseCommit() != null ? request.baseCommit() : request.branch();
        if (environment.repository() != null && baseRef != null) {
            try (var git = repositories.open(environment.repository())) {
                git.resolve(baseRef); // refuse an unknown base before anything else
            }
        }
        int priority = request.priority() == null ? 5 : request.priority();
        DeclareMode mode = request.mode() == null ? DeclareMode.ALL_OR_NOTHING : request.mode();

        // only declarations that may overlap this one wait here; the overlap is then read after every one of them
        // that went first has committed (a new statement, a new snapshot)
        repository.lockPaths(PathLocks.of(environmentName, patterns.values()));
        List<HeldFile> held = repository.heldFilesThatMayOverlap(environmentName, caller.agentId(), patterns.values(), now);
        IntentOverlap overlap = new IntentOverlap(held, IntentOverlap.tree(
                () -> environment.repository() == null ? null : repositories.open(environment.repository()), baseRef),
                config.contextLines());
        List<FileDecision> files = new ArrayList<>();
        for (Map.Entry<DeclaredFile, PathPattern> e : patterns.entrySet()) {
            files.add(overlap.judge(e.getKey(), e.getValue(), priority));
        }
        long denied = files.stream().filter(f -> f.outcome() == FileDecision.Outcome.DENIED).count();

        if (mode == DeclareMode.DRY_RUN) {
            return new Declared(new IntentDecision(mode, null, files), false);
        }
        if (denied == files.size() || (denied > 0 && mode == DeclareMode.ALL_OR_NOTHING)) {
            events.append(now, "intent.denied", environmentName, entity.address(), caller.agentId(),
                    Map.of("files", deniedFiles(files), "mode", mode.name()));
            markBlockedBy(files, entity, now);
            return new Declared(new IntentDecision(mode, null, files), true);
        }

        long token = tokens.next();
        Instant expiresAt = now.plus(Duration.ofSeconds(request.leaseSeconds()));
        IntentRepository.Inserted inserted = repository.insertIntent(environmentName, entity.id(), entity.address(),
                caller.agentId(), request, priority, token, now, expiresAt);
        long id = inserted.id();
        List<Map<String, Object>> preempted = new ArrayList<>();
        Map<DeclaredFile, PathPattern> granted = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<DeclaredFile, PathPattern> e : patterns.entrySet()) {
            if (files.get(index++).outcome() != FileDecision.Outcome.DENIED) {
                granted.put(e.getKey(), e.getValue());
            }
        }
        List<IntentFileView> heldFiles = repository.insertFiles(id, caller.agentId(), granted);
        for (FileDecision decision : files) {
            if (decision.outcome() == FileDecision.Outcome.DENIED) {
                continue;
            }
            for (Overlap o : decision.overlaps()) {
                if (o.effect() == Overlap.Effect.PREEMPT && repository.setFileStatus(o.intentId(), o.path(), "PREEMPTED")) {
                    preempted.add(Map.of("intentId", o.intentId(), "path", o.path(), "holder", o.holder(),
                            "entity", o.entity(), "by", id));
                }
            }
        }
        Map<String, Object> data = new HashMap<>();
        data.put("intentId", id);
        data.put("fencingToken", token);
        data.put("files", files.stream().filter(f -> f.outcome() != FileDecision.Outcome.DENIED)
                .map(f -> Map.of("path", f.path(), "level", f.level(), "outcome", f.outcome().name())).toList());
        data.put("expiresAt", expiresAt.toString());
        events.append(now, "intent.declared", environmentName, entity.address(), caller.agentId(), data);
        if (denied > 0) {
            events.append(now, "intent.denied", environmentName, entity.address(), caller.agentId(),
                    Map.of("intentId", id, "files", deniedFiles(files), "mode", mode.name()));
        }
        for (Map<String, Object> p : preempted) {
            String loser = (String) p.get("entity");
            events.append(now, "intent.preempted", environmentName, loser, caller.agentId(), p);
            // the loser's entity is now crowded: tell agents sensing it, the way an agent would
            pheromones.depositAsService(loser.substring(0, loser.indexOf('/')), loser.substring(loser.indexOf('/') + 1),
                    "saturation", "intent:" + id, 1.0, p);
        }
        // what find(id) would read back, known here: preemptions changed only other intents' files
        IntentView created = new IntentView(id, environmentName, entity.address(), caller.agentId(), request.description(),
                priority, request.leaseSeconds(), token, request.branch(), request.baseCommit(), "ACTIVE",
                inserted.createdAt(), inserted.expiresAt(), null, heldFiles);
        filesBlocked.declared(created);
        markBlockedBy(files, entity, now);
        return new Declared(new IntentDecision(mode, created, files), false);
    }

    // an L4 intent that denied files of entity keeps files_blocked on it too
    private void markBlockedBy(List<FileDecision> files, EntityRef entity, Instant now) {
        Set<Long> blockers = new java.util.TreeSet<>();
        for (FileDecision f : files) {
            for (Overlap o : f.overlaps()) {
                if (o.effect() == Overlap.Effect.DENY && o.level() == 4) {
                    blockers.add(o.intentId());
                }
            }
        }
        for (long blocker : blockers) {
            filesBlocked.blocked(entity.address(), blocker, now);
        }
    }

    private EntityRef entity(String address, String environment) {
        int slash = address.indexOf('/');
        EntityRef entity = entities.require(address.substring(0, slash), address.substring(slash + 1));
        if (!entity.environment().equals(environment)) {
            throw new InvalidInputException("entity " + address + " belongs to environment '" + entity.environment()
                    + "', not '" + environment + "'");
        }
        return entity;
    }

    private static List<Map<String, Object>> deniedFiles(List<FileDecision> files) {
        return files.stream().filter(f -> f.outcome() == FileDecision.Outcome.DENIED)
                .map(f -> Map.<String, Object>of("path", f.path(), "level", f.level(),
                        "by", f.overlaps().stream().filter(o -> o.effect() == Overlap.Effect.DENY)
                                .map(Overlap::intentId).toList()))
                .toList();
    }
}
