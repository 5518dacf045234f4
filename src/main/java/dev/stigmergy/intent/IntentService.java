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
import dev.stigmergy.event.EventLog;
import dev.stigmergy.lease.FencingTokens;
import dev.stigmergy.lease.Heartbeat;
import dev.stigmergy.lease.Hold;
import dev.stigmergy.lease.HoldEnded;
import dev.stigmergy.lease.Holds;
import dev.stigmergy.lease.NotHolderException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The lifecycle of file-update intents after their declaration (DESIGN.md §4): renewing, completing, cancelling,
 * expiry, reading and listing them. Declaring is {@link IntentDeclaration}. An intent is a hold of kind
 * {@code intent}: unlock requests against it release all its files, or hand them over to the requester
 * as a new intent with a new fencing token.
 */
@ApplicationScoped
@Transactional
public class IntentService implements Holds, LiveLeases {

    /** The statuses a listing filters by; EXPIRED includes active intents past their lease. */
    private static final Set<String> STATUSES = Set.of("ACTIVE", "COMPLETED", "CANCELLED", "EXPIRED");

    private final IntentRepository repository;
    private final EnvironmentService environments;
    private final EntityService entities;
    private final FencingTokens tokens;
    private final EventLog events;
    private final IntentConfig config;
    private final FilesBlocked filesBlocked;
    private final Event<HoldEnded> holdEnded;
    private final Clock clock;

    public IntentService(IntentRepository repository, EnvironmentService environments, EntityService entities,
                         FencingTokens tokens, EventLog events, IntentConfig config, FilesBlocked filesBlocked,
                         Event<HoldEnded> holdEnded, Clock clock) {
        this.filesBlocked = filesBlocked;
        this.holdEnded = holdEnded;
        this.repository = repository;
        this.environments = environments;
        this.entities = entities;
        this.tokens = tokens;
        this.events = events;
        this.config = config;
        this.clock = clock;
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
        // the clock after the path locks (see lockPaths): a declaration that went first may have found the intent
        // lapsed and granted its files; a renewal judged at an earlier now would revive it beside that grant
        lockPaths(id, clock.instant());
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
        repository.renewAllOf(heartbeat.agentId(), heartbeat.now()).forEach(heartbeat::renewed);
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
        if (status != null && !STATUSES.contains(status)) {
            throw new InvalidInputException("status must be ACTIVE, COMPLETED, CANCELLED or EXPIRED");
        }
        return repository.list(environment, agent, entity, status, pathPrefix, clock.instant(), limit);
    }

    /**
     * The active intents in {@code environment} of each of {@code agents}, at most {@code perAgent} each: what
     * {@link #list} answers for one agent and {@code ACTIVE}, in one statement for all.
     *
     * @return by agent id, each list by intent id; an agent without active intents there is left out
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<IntentView>> activeOfEach(String environment, Collection<String> agents, int perAgent) {
        return activeOfEach(environment, IntentRepository.Owner.AGENT, agents, perAgent, IntentView::agent);
    }

    /**
     * The active intents in {@code environment} on each of {@code entities} (addresses), at most {@code perEntity}
     * each: what {@link #list} answers for one entity and {@code ACTIVE}, in one statement for all.
     *
     * @return by entity address, each list by intent id; an entity without active intents is left out
     * @throws NotFoundException unknown environment (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, List<IntentView>> activeOnEach(String environment, Collection<String> entities, int perEntity) {
        return activeOfEach(environment, IntentRepository.Owner.ENTITY, entities, perEntity, IntentView::entity);
    }

    private Map<String, List<IntentView>> activeOfEach(String environment, IntentRepository.Owner by,
                                                       Collection<String> owners, int perOwner,
                                                       Function<IntentView, String> owner) {
        environments.get(environment);
        Map<String, List<IntentView>> byOwner = new LinkedHashMap<>();
        for (IntentView intent : repository.activeOfEach(environment, by, owners, clock.instant(), perOwner)) {
            byOwner.computeIfAbsent(owner.apply(intent), o -> new ArrayList<>()).add(intent);
        }
        return byOwner;
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

    // the intent, row-locked, while it is active at now and still at the clock after the path locks (see lockPaths);
    // otherwise null. Every hold request, release and handover comes through here: a handover grants the intent's
    // files anew, to the requester, so it must be decided one after the other with every declaration that may
    // overlap them: none reads, or preempts, the ended intent while the requester's copy is not yet visible, and
    // none that found the intent lapsed sees it handed over afterwards.
    private IntentView liveView(String id, Instant now) {
        long key = parseId(id);
        IntentView seen = lockPaths(key, now);
        if (seen == null || !"ACTIVE".equals(seen.status())) {
            return null;
        }
        Instant later = clock.instant();
        IntentView intent = repository.lockAndFind(key, later.isAfter(now) ? later : now);
        return intent == null || !"ACTIVE".equals(intent.status()) ? null : intent;
    }

    /**
     * Takes the path locks a declaration of the intent's files takes ({@link PathLocks}) when it is active at
     * {@code now}, and answers it as read before them (null: no such intent). A change that grants files again
     * (a handover, a renewal) takes them, so that it and every declaration that may overlap them are decided one
     * after the other. They are taken before the intent's row lock, in a declaration's order: a declaration denied
     * by this intent key-share locks its row while holding its own path locks ({@link FilesBlocked#blocked}), so the
     * other order could deadlock. All its files, whatever their status: the same locks on every call in a
     * transaction (its held files only shrink, and fewer keys could mean finer locks not yet taken).
     */
    private IntentView lockPaths(long id, Instant now) {
        IntentView seen = repository.find(id, now);
        if (seen != null && "ACTIVE".equals(seen.status())) {
            repository.lockPaths(PathLocks.of(seen.environment(),
                    seen.files().stream().map(f -> PathPattern.parse(f.path())).toList()));
        }
        return seen;
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
                intent.priority(), token, now, expiresAt).id();
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

    private IntentView activeOwnedBy(long id, Caller caller, Instant now, String what) {
        IntentView intent = repository.lockAndFind(id, now);
        if (intent == null) {
            throw new NotFoundException("intent", String.valueOf(id));
        }
        caller.requireEnvironment(intent.environment());
        if (!intent.agent().equals(caller.agentId())) {
            throw new NotHolderException("intent " + id, intent.agent());
        }
        if (!"ACTIVE".equals(intent.status())) {
            throw new StigmergyException(409, "/problems/intent-not-active", "Intent not active",
                    "intent " + id + " is " + intent.status(), Map.of("intent", intent));
        }
        return intent;
    }

    /** Live intents per agent among {@code agents} at {@code now} (agent liveness). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Integer> liveLeases(List<String> agents, Instant now) {
        return repository.liveIntentsPerAgent(agents, now);
    }
}
