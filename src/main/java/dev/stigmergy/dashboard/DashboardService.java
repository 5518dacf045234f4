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
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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

    private static final String REF = "HEAD";

    private final AgentService agents;
    private final EventLog events;
    private final EnvironmentService environments;
    private final IntentService intents;
    private final GitAwareness git;

    public DashboardService(AgentService agents, EventLog events, EnvironmentService environments,
                            IntentService intents, GitAwareness git) {
        this.agents = agents;
        this.events = events;
        this.environments = environments;
        this.intents = intents;
        this.git = git;
    }

    /** Every agent with its latest heartbeat, latest event and liveness, in the order of {@code GET /agents}. */
    public List<AgentActivity> agents() {
        List<AgentView> all = agents.listWithLiveness();
        List<LastSeen> seen = events.lastSeen(all.stream().map(AgentView::id).toList());
        List<AgentActivity> answer = new ArrayList<>(all.size());
        for (int i = 0; i < all.size(); i++) {
            AgentView agent = all.get(i);
            LastSeen last = seen.get(i);
            answer.add(new AgentActivity(agent.id(), agent.displayName(), agent.roles(), agent.createdAt(),
                    last.lastHeartbeatAt(), last.lastEventAt(), agent.liveness()));
        }
        return answer;
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
