package dev.stigmergy.intent;

import dev.stigmergy.agent.AgentDeactivated;
import dev.stigmergy.lease.LiveLeases;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.api.StigmergyException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.git.GitRepositories;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.lease.Heartbeat;
import dev.stigmergy.pheromone.PheromoneService;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.Holds;
import dev.stigmergy.lease.NotHolderException;
import dev.stigmergy.lease.RenewedLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
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
import java.util.Optional;
import java.util.Set;

/**
 * Declaring file-update intents and their lifecycle (DESIGN.md §4). An intent is a hold of kind
 * {@code intent}: unlock requests against it release all its files, or hand them over to the requester
 * as a new intent with a new fencing token.
 */
@ApplicationScoped
@Transactional
public class IntentService implements Holds, LiveLeases {

    /** Outcome of {@link #declare}: the decision, and whether it was refused as a whole. */
    public record Declared(IntentDecision decision, boolean denied) {
    }

    /**
     * SQL fragment for another capability's read (the ready query, issue 27): whether an L4 hold of another agent
     * blocks files the entity needs, for the caller {@code :agent} at {@code :now}. Arguments: {@code %1$s} the
     * entity's id, {@code %2$s} its address {@code kind/key}. The blocking files are those a live L4 intent of an
     * agent other than the caller holds, when the intent's parent is the entity or the intent denied the entity's
     * intent (the files its {@code files_blocked} signal names, DESIGN.md §4). They block when the entity declares
     * no files of its own through another agent's live intent (then the denied declaration is what it needs), or
     * when they overlap files declared on the entity or held by the caller's own live intents. Overlap is sound, as
     * {@link PathPattern#overlaps} is: the same path, one beneath the other (a path may name a directory), or, when
     * either is a glob, literal prefixes of which one starts with the other. The {@code offset 0} keeps it a probe
     * per entity (see {@link dev.stigmergy.pheromone.PheromoneSql#PER_ROW}).
     */
    public static final String FILES_BLOCKED_FOR_CALLER = """
            exists (select 1 from intent b join intent_file bf on bf.intent_id = b.id
                     where b.status = 'ACTIVE' and b.expires_at > cast(:now as timestamptz) and bf.status = 'HELD'
                       and bf.level = 4 and b.agent <> :agent
                       and (b.entity_id = %1$s
                            or exists (select 1 from intent_blocked_entity x where x.intent_id = b.id and x.entity = %2$s))
                       and (not exists (select 1 from intent n
                                         where n.entity_id = %1$s and n.status = 'ACTIVE'
                                           and n.expires_at > cast(:now as timestamptz) and n.agent <> b.agent)
                            or exists (select 1 from intent n join intent_file nf on nf.intent_id = n.id
                                        where n.status = 'ACTIVE' and n.expires_at > cast(:now as timestamptz)
                                          and nf.status = 'HELD' and n.agent <> b.agent
                                          and (n.entity_id = %1$s or n.agent = :agent)
                                          and (nf.path = bf.path
                                               or starts_with(bf.path, rtrim(nf.path, '/') || '/')
                                               or starts_with(nf.path, rtrim(bf.path, '/') || '/')
                                               or ((nf.path ~ '[*?[]' or bf.path ~ '[*?[]')
                                                   and (starts_with(nf.prefix, bf.prefix)
                                                        or starts_with(bf.prefix, nf.prefix))))))
                    offset 0)""";

    private final IntentRepository repository;
    private final EnvironmentService environments;
    private final EntityService entities;
    private final GitRepositories repositories;
    private final FencingTokens tokens;
    private final EventLog events;
    private final IntentConfig config;
    private final FilesBlocked filesBlocked;
    private final PheromoneService pheromones;
    private final Event<HoldEnded> holdEnded;
    private final Clock clock;

    public IntentService(IntentRepository repository, EnvironmentService environments, EntityService entities,
                         GitRepositories repositories, FencingTokens tokens, EventLog events, IntentConfig config,
                         FilesBlocked filesBlocked, PheromoneService pheromones, Event<HoldEnded> holdEnded,
                         Clock clock) {
        this.filesBlocked = filesBlocked;
        this.pheromones = pheromones;
        this.holdEnded = holdEnded;
        this.repository = repository;
        this.environments = environments;
        this.entities = entities;
        this.repositories = repositories;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Checks the declared files against other agents' active intents and, unless the mode or a denial
     * says otherwise, creates the intent: one transaction, serialised per environment, so two agents
     * racing for the same file cannot both win. Overlaps, denials and preemptions are recorded as events.
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

        repository.lockEnvironment(environmentName);
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
        long id = repository.insertIntent(environmentName, entity.id(), entity.address(), caller.agentId(), request,
                priority, token, now, expiresAt);
        List<Map<String, Object>> preempted = new ArrayList<>();
        Map<DeclaredFile, PathPattern> granted = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<DeclaredFile, PathPattern> e : patterns.entrySet()) {
            if (files.get(index++).outcome() != FileDecision.Outcome.DENIED) {
                granted.put(e.getKey(), e.getValue());
            }
        }
        repository.insertFiles(id, caller.agentId(), granted);
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
        IntentView created = repository.find(id, now);
        filesBlocked.refresh(created);
        markBlockedBy(files, entity, now);
        return new Declared(new IntentDecision(mode, created, files), false);
    }

    /**
     * Renews an active intent from now (holder only), by {@code leaseSeconds} or, when {@code null}, its own lease
     * length.
     *
     * @throws InvalidInputException leaseSeconds above the maximum (400)
     * @throws NotFoundException  no such intent (404)
     * @throws NotHolderException the caller is not its holder (403)
     * @throws StigmergyException the intent is no longer active (409)
     */
    public IntentView renew(long id, Integer leaseSeconds, Caller caller) {
        if (leaseSeconds != null && leaseSeconds > config.maxLeaseSeconds()) {
            throw new InvalidInputException("leaseSeconds must be at most " + config.maxLeaseSeconds());
        }
        Instant now = clock.instant();
        IntentView intent = activeOwnedBy(id, caller, now, "renew");
        Instant expiresAt = now.plus(Duration.ofSeconds(leaseSeconds != null ? leaseSeconds : intent.leaseSeconds()));
        repository.extend(id, expiresAt);
        events.append(now, "intent.renewed", intent.environment(), intent.entity(), caller.agentId(),
                Map.of("intentId", id, "expiresAt", expiresAt.toString()));
        return repository.find(id, now);
    }

    /**
     * Ends an active intent as {@code COMPLETED} or {@code CANCELLED} (holder only), releasing its files.
     *
     * @throws NotFoundException  no such intent (404)
     * @throws NotHolderException the caller is not its holder (403)
     * @throws StigmergyException the intent is no longer active (409)
     */
    public IntentView end(long id, boolean completed, Caller caller) {
        Instant now = clock.instant();
        IntentView intent = activeOwnedBy(id, caller, now, completed ? "complete" : "cancel");
        String status = completed ? "COMPLETED" : "CANCELLED";
        return finish(intent, status, completed ? "intent.completed" : "intent.cancelled", HoldEnded.Cause.RELEASED,
                caller.agentId(), now);
    }

    /**
     * Marks active intents past their lease as {@code EXPIRED}, at most {@code batch} per call, one
     * {@code intent.expired} event each. Expiry already holds without this (every read compares with now);
     * the sweep records it.
     *
     * @return how many intents it expired
     */
    public int sweepExpired(int batch) {
        Instant now = clock.instant();
        List<IntentView> expired = repository.expireDue(now, batch);
        for (IntentView intent : expired) {
            events.append(now, "intent.expired", intent.environment(), intent.entity(), null,
                    Map.of("intentId", intent.id(), "holder", intent.agent(), "expiresAt", intent.expiresAt().toString()));
            filesBlocked.refresh(intent);
            holdEnded.fire(new HoldEnded(hold(intent), HoldEnded.Cause.EXPIRED, now, null));
        }
        return expired.size();
    }

    /** Renews every active intent of the heartbeating agent by its own lease length. */
    void onHeartbeat(@Observes Heartbeat heartbeat) {
        for (IntentView intent : repository.renewAllOf(heartbeat.agentId(), heartbeat.now())) {
            heartbeat.renewed(new RenewedLease("intent", String.valueOf(intent.id()), intent.entity(),
                    intent.fencingToken(), intent.expiresAt()));
        }
    }

    /** Cancels every active intent of a deactivated agent as the holder would ({@code intent.released}, HoldEnded). */
    void onDeactivation(@Observes AgentDeactivated deactivation) {
        for (long id : repository.activeIdsOf(deactivation.agentId(), deactivation.now())) {
            Hold ended = release(String.valueOf(id), deactivation.agentId(), deactivation.now());
            deactivation.released(new AgentDeactivated.Released("intent", ended.id(), ended.entity()));
        }
    }

    /**
     * @throws NotFoundException no such intent (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public IntentView get(long id) {
        IntentView intent = repository.find(id, clock.instant());
        if (intent == null) {
            throw new NotFoundException("intent", String.valueOf(id));
        }
        return intent;
    }

    /**
     * Intents of an environment, filtered; each filter {@code null} for any.
     *
     * @param status     {@code ACTIVE}, {@code COMPLETED}, {@code CANCELLED} or {@code EXPIRED} (computed at now)
     * @param pathPrefix keeps intents with a declared path starting with it
     * @param limit      1–1000
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<IntentView> list(String environment, String agent, String entity, String status, String pathPrefix,
                                 int limit) {
        environments.get(environment);
        StringBuilder where = new StringBuilder(" where environment = :environment");
        Map<String, Object> params = new HashMap<>();
        params.put("environment", environment);
        if (agent != null) {
            where.append(" and agent = :agent");
            params.put("agent", agent);
        }
        if (entity != null) {
            where.append(" and entity = :entity");
            params.put("entity", entity);
        }
        if (status != null) {
            where.append(switch (status) {
                case "ACTIVE" -> " and status = 'ACTIVE' and expires_at > :now";
                case "EXPIRED" -> " and (status = 'EXPIRED' or (status = 'ACTIVE' and expires_at <= :now))";
                case "COMPLETED", "CANCELLED" -> " and status = '" + status + "'";
                default -> throw new InvalidInputException("status must be ACTIVE, COMPLETED, CANCELLED or EXPIRED");
            });
        }
        if (pathPrefix != null) {
            where.append(" and exists (select 1 from intent_file f where f.intent_id = intent.id and starts_with(f.path, :pathPrefix))");
            params.put("pathPrefix", pathPrefix);
        }
        return repository.query(where.toString(), params, clock.instant(), limit);
    }

    /**
     * Files held at L4 in an environment right now, with their holders: what nobody else may touch.
     *
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HeldFileView> blockedFiles(String environment) {
        environments.get(environment);
        return repository.heldFiles(environment, 4, clock.instant());
    }

    /**
     * Every file held by an active intent in an environment, one row per holder (the file heat map).
     *
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<HeldFileView> heldFiles(String environment) {
        environments.get(environment);
        return repository.heldFiles(environment, 1, clock.instant());
    }

    @Override
    public String kind() {
        return "intent";
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Hold> live(String id, Instant now) {
        return Optional.ofNullable(liveView(id, now)).map(IntentService::hold);
    }

    // the intent, row-locked, while it is active at now; otherwise null
    private IntentView liveView(String id, Instant now) {
        IntentView intent = repository.lockAndFind(parseId(id), now);
        return intent == null || !"ACTIVE".equals(intent.status()) ? null : intent;
    }

    /**
     * The live hold of intent {@code id}, row-locked in the caller's transaction, for requests against it.
     *
     * @throws NotFoundException no such intent, or it is no longer active (404)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold heldFor(long id) {
        return live(String.valueOf(id), clock.instant())
                .orElseThrow(() -> new NotFoundException("active intent", String.valueOf(id)));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold release(String id, String agent, Instant now) {
        IntentView intent = liveHeldBy(id, agent, now);
        return hold(finish(intent, "CANCELLED", "intent.released", HoldEnded.Cause.RELEASED, agent, now));
    }

    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public Hold handOver(String id, String agent, String to, String reason, Instant now) {
        IntentView intent = liveHeldBy(id, agent, now);
        long token = tokens.next();
        Instant expiresAt = now.plus(Duration.ofSeconds(intent.leaseSeconds()));
        EntityRef entity = entities.require(intent.entity().substring(0, intent.entity().indexOf('/')),
                intent.entity().substring(intent.entity().indexOf('/') + 1));
        DeclareIntent copy = new DeclareIntent(intent.entity(), List.of(), "handed over from intent " + intent.id()
                + " (" + reason + "): " + intent.description(), intent.priority(), intent.leaseSeconds(), intent.branch(),
                intent.baseCommit(), DeclareMode.ALL_OR_NOTHING);
        long newId = repository.insertIntent(intent.environment(), entity.id(), intent.entity(), to, copy,
                intent.priority(), token, now, expiresAt);
        Map<DeclaredFile, PathPattern> held = new LinkedHashMap<>();
        for (IntentFileView file : intent.files()) {
            if ("HELD".equals(file.status())) {
                held.put(new DeclaredFile(file.path(), file.level(), file.lineRanges()), PathPattern.parse(file.path()));
            }
        }
        repository.insertFiles(newId, to, held);
        finish(intent, "CANCELLED", "intent.handed-over", HoldEnded.Cause.HANDED_OVER, agent, now);
        IntentView handed = repository.find(newId, now);
        events.append(now, "intent.declared", handed.environment(), handed.entity(), to,
                Map.of("intentId", newId, "fencingToken", token, "handedOverFrom", intent.id()));
        filesBlocked.refresh(handed);
        return hold(handed);
    }

    private IntentView finish(IntentView intent, String status, String eventType, HoldEnded.Cause cause, String agent,
                              Instant now) {
        repository.finish(intent.id(), status, now);
        events.append(now, eventType, intent.environment(), intent.entity(), agent, Map.of("intentId", intent.id()));
        IntentView ended = repository.find(intent.id(), now);
        filesBlocked.refresh(ended);
        holdEnded.fire(new HoldEnded(hold(intent), cause, now, agent));
        return ended;
    }

    private IntentView liveHeldBy(String id, String agent, Instant now) {
        IntentView intent = liveView(id, now);
        if (intent == null) {
            throw new NotFoundException("active intent", id);
        }
        if (!intent.agent().equals(agent)) {
            throw new NotHolderException("intent " + id, intent.agent());
        }
        return intent;
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("intent", id);
        }
    }

    private static Hold hold(IntentView intent) {
        return new Hold("intent", String.valueOf(intent.id()), intent.entity(), intent.environment(), intent.agent(),
                intent.fencingToken(), intent.expiresAt());
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
            filesBlocked.blocked(entity.address(), repository.find(blocker, now));
        }
    }

    private IntentView activeOwnedBy(long id, Caller caller, Instant now, String what) {
        IntentView intent = repository.lockAndFind(id, now);
        if (intent == null) {
            throw new NotFoundException("intent", String.valueOf(id));
        }
        if (!intent.agent().equals(caller.agentId())) {
            throw new NotHolderException("intent " + id, intent.agent());
        }
        if (!"ACTIVE".equals(intent.status())) {
            throw new StigmergyException(409, "/problems/intent-not-active", "Intent not active",
                    "intent " + id + " is " + intent.status(), Map.of("intent", intent));
        }
        return intent;
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

    /** Live intents per agent among {@code agents} at {@code now} (agent liveness). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Integer> liveLeases(List<String> agents, Instant now) {
        return repository.liveIntentsPerAgent(agents, now);
    }
}
