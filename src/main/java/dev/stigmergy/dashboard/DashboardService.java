package dev.stigmergy.dashboard;

import dev.stigmergy.agent.AgentService;
import dev.stigmergy.agent.AgentView;
import dev.stigmergy.api.StigmergyException;
import dev.stigmergy.environment.EnvironmentService;
import dev.stigmergy.environment.EnvironmentView;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.LastSeen;
import dev.stigmergy.intent.CompareRefs;
import dev.stigmergy.intent.EditOverlaps;
import dev.stigmergy.intent.GitAwareness;
import dev.stigmergy.intent.IntentService;
import dev.stigmergy.intent.IntentView;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.entity.EntityView;
import dev.stigmergy.lock.LockGrant;
import dev.stigmergy.lock.LockService;
import dev.stigmergy.lock.LockView;
import dev.stigmergy.pheromone.EntityPheromones;
import dev.stigmergy.pheromone.PheromoneSensing;
import dev.stigmergy.unlock.UnlockRequestService;
import dev.stigmergy.unlock.UnlockRequestView;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The dashboard's own reads: what the public API answers only in many calls or not at all. Reads only. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class DashboardService {

    /** Most files a tree answer lists; a browser draws a few thousand rows comfortably. */
    static final int MAX_FILES = 5000;

    /** Most branches compared: edit-overlaps compares 2–10 refs (CompareRefs). */
    static final int MAX_BRANCHES = 10;

    /** Most agents a page of the Agents view lists. */
    static final int MAX_AGENTS = 200;

    /** Most entities a page of the Board lists. */
    static final int MAX_CARDS = 100;

    /** Most locks, intents or unlock requests listed beside one agent or entity. */
    static final int MAX_HOLDS = 20;

    private static final String REF = "HEAD";

    private final AgentService agents;
    private final EventLog events;
    private final EnvironmentService environments;
    private final IntentService intents;
    private final GitAwareness git;
    private final EntityService entities;
    private final PheromoneSensing sensing;
    private final LockService locks;
    private final UnlockRequestService requests;
    private final ObjectMapper json;
    private final Clock clock;

    public DashboardService(AgentService agents, EventLog events, EnvironmentService environments,
                            IntentService intents, GitAwareness git, EntityService entities,
                            PheromoneSensing sensing, LockService locks, UnlockRequestService requests,
                            ObjectMapper json, Clock clock) {
        this.agents = agents;
        this.events = events;
        this.environments = environments;
        this.intents = intents;
        this.git = git;
        this.entities = entities;
        this.sensing = sensing;
        this.locks = locks;
        this.requests = requests;
        this.json = json;
        this.clock = clock;
    }

    /**
     * A page of agents by id, each with its latest heartbeat, latest event, liveness and holds: those whose id or
     * display name contains {@code text} (any case; {@code null} for all), after the id {@code after}.
     *
     * @param environment whose active intents to list beside each agent, or {@code null} for none
     * @param limit       most agents, 1–{@link #MAX_AGENTS}; fewer when the page reaches its byte bound
     */
    public AgentActivityPage agents(String environment, String text, String after, int limit, Caller caller) {
        List<AgentView> candidates = agents.page(text, after, limit + 1);
        boolean more = candidates.size() > limit;
        List<AgentView> listed = more ? candidates.subList(0, limit) : candidates;
        List<String> ids = listed.stream().map(AgentView::id).toList();
        List<LastSeen> seen = events.lastSeen(ids);
        // one read per kind of hold for the whole page, not one per agent
        Map<String, List<LockGrant>> held = locks.listOfEach(ids, MAX_HOLDS, caller);
        Map<String, List<IntentView>> declared = environment == null ? Map.of()
                : intents.activeOfEach(environment, ids, MAX_HOLDS);
        PageBudget<AgentActivity> page = new PageBudget<>(json, AgentActivity::withoutHolds);
        for (int i = 0; i < listed.size(); i++) {
            AgentView agent = listed.get(i);
            LastSeen last = seen.get(i);
            if (!page.add(new AgentActivity(agent.id(), agent.displayName(), agent.roles(), agent.createdAt(),
                    last.lastHeartbeatAt(), last.lastEventAt(), agent.liveness(),
                    held.getOrDefault(agent.id(), List.of()), declared.getOrDefault(agent.id(), List.of()), false))) {
                more = true;
                break;
            }
        }
        List<AgentActivity> answer = page.items();
        String nextAfter = more && !answer.isEmpty() ? answer.get(answer.size() - 1).id() : null;
        return new AgentActivityPage(answer, agents.count(text), nextAfter);
    }

    /**
     * A page of the environment's entities by address, each with what the Board draws: the pheromones the
     * caller's role senses, the live lock, active intents and pending unlock requests.
     *
     * @param kind   entity kind, or {@code null} for all
     * @param status entity status, or {@code null} for all
     * @param after  the address the previous page ended on, or {@code null}
     * @param limit  most entities, 1–{@link #MAX_CARDS}; fewer when the page reaches its byte bound
     * @throws dev.stigmergy.api.NotFoundException     unknown environment (404)
     * @throws dev.stigmergy.api.InvalidInputException {@code after} is not an address (400)
     */
    public BoardPage board(String environment, String kind, String status, String after, int limit, Caller caller) {
        environments.get(environment);
        List<EntityView> candidates = entities.list(environment, kind, status, after, limit + 1, caller).entities();
        boolean more = candidates.size() > limit;
        List<EntityView> listed = more ? candidates.subList(0, limit) : candidates;
        PageBudget<BoardCard> page = new PageBudget<>(json, BoardCard::trim);
        // one read per kind of state for the whole page, not one per card
        List<EntityRef> refs = entities.resolve(listed);
        List<String> addresses = refs.stream().map(EntityRef::address).toList();
        Map<String, EntityPheromones> sensed = sensing.senseEach(refs, caller);
        Map<String, LockView> lockOf = locks.liveOn(refs);
        Map<String, List<IntentView>> intentsOn = intents.activeOnEach(environment, addresses, MAX_HOLDS);
        Map<String, List<UnlockRequestView>> requestsOn = requests.pendingOnEach(addresses, MAX_HOLDS, caller);
        Instant at = sensed.isEmpty() ? clock.instant() : sensed.values().iterator().next().at();
        for (EntityView entity : listed) {
            EntityPheromones signals = sensed.get(entity.address());
            if (signals == null) {
                continue; // gone since the page was read
            }
            BoardCard card = new BoardCard(entity, signals.pheromones(), lockOf.get(entity.address()),
                    intentsOn.getOrDefault(entity.address(), List.of()),
                    requestsOn.getOrDefault(entity.address(), List.of()), false);
            if (!page.add(card)) {
                more = true;
                break;
            }
        }
        List<BoardCard> answer = page.items();
        String nextAfter = more && !answer.isEmpty() ? answer.get(answer.size() - 1).entity().address() : null;
        return new BoardPage(environment, at, answer, nextAfter);
    }

    /**
     * The files at the environment repository's HEAD and the edit overlaps of the branches its active intents
     * name: the same report as {@code POST /environments/{environment}/edit-overlaps} for those branches,
     * computed now. A repository or branch that cannot be read gives a {@code note}, not an error, so the
     * rest of the view still shows.
     *
     * @throws dev.stigmergy.api.NotFoundException unknown environment (404)
     */
    public FileTree files(String environment) {
        EnvironmentView env = environments.get(environment);
        List<IntentView> active = intents.list(environment, null, null, "ACTIVE", null, 1000);
        Set<String> distinct = new LinkedHashSet<>();
        active.stream().map(IntentView::branch).filter(Objects::nonNull).forEach(distinct::add);
        List<String> branches = distinct.stream().limit(MAX_BRANCHES).toList();
        if (env.repository() == null) {
            return new FileTree(environment, null, List.of(), false, branches, null,
                    "the environment names no repository");
        }
        List<String> files;
        try {
            files = git.files(environment, REF);
        } catch (StigmergyException e) {
            return new FileTree(environment, null, List.of(), false, branches, null, e.getMessage());
        }
        boolean truncated = files.size() > MAX_FILES;
        List<String> listed = truncated ? files.subList(0, MAX_FILES) : files;
        if (branches.size() < 2) {
            return new FileTree(environment, REF, listed, truncated, branches, null,
                    "fewer than two active intents name a branch: nothing to compare");
        }
        try {
            EditOverlaps overlaps = git.editOverlaps(environment, new CompareRefs(branches, null));
            return new FileTree(environment, REF, listed, truncated, branches, overlaps, null);
        } catch (StigmergyException e) {
            return new FileTree(environment, REF, listed, truncated, branches, null, e.getMessage());
        }
    }
}
