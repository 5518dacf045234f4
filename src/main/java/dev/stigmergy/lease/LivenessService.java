package dev.stigmergy.lease;

import dev.stigmergy.agent.AgentLiveness;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.agent.AgentView;
import dev.stigmergy.agent.Liveness;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.LastSeen;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent liveness (DESIGN.md §7), derived, never stored as truth: {@code active} while the agent's latest heartbeat
 * is younger than {@link LivenessConfig#activeInterval()}; else {@code idle} while any of its leases (locks, intents,
 * claims: every {@link LiveLeases} bean) is live; else {@code gone}. A change is announced once, as
 * {@code agent.active}, {@code agent.idle} or {@code agent.gone} with the former state: at once by the agent's
 * heartbeat, and by {@link #announce} (every {@code stigmergy.liveness.sweep-interval}) for changes time alone makes.
 */
@ApplicationScoped
@Transactional
public class LivenessService implements AgentLiveness {

    private final EntityManager em;
    private final AgentService agents;
    private final Instance<LiveLeases> holders;
    private final EventLog events;
    private final LivenessConfig config;
    private final Clock clock;

    public LivenessService(EntityManager em, AgentService agents, Instance<LiveLeases> holders, EventLog events,
                           LivenessConfig config, Clock clock) {
        this.em = em;
        this.agents = agents;
        this.holders = holders;
        this.events = events;
        this.config = config;
        this.clock = clock;
    }

    /** The liveness of each of {@code agents} at {@code now}, by agent id (unknown ids: gone). */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, Liveness> of(List<String> ids, Instant now) {
        Map<String, Integer> leases = new HashMap<>();
        for (LiveLeases holder : holders) {
            holder.liveLeases(ids, now).forEach((agent, n) -> leases.merge(agent, n, Integer::sum));
        }
        Map<String, Liveness> out = new LinkedHashMap<>();
        for (LastSeen seen : events.lastSeen(ids)) {
            Instant heartbeat = seen.lastHeartbeatAt();
            int live = leases.getOrDefault(seen.agent(), 0);
            String state = heartbeat != null && heartbeat.plus(config.activeInterval()).isAfter(now) ? Liveness.ACTIVE
                    : live > 0 ? Liveness.IDLE : Liveness.GONE;
            out.put(seen.agent(), new Liveness(state, heartbeat, live, now));
        }
        return out;
    }

    /**
     * Announces every agent whose liveness now differs from what the log last said; for the sweep and tests.
     *
     * @return how many changes were announced
     */
    public int announce() {
        Instant now = clock.instant();
        return announce(agents.list().stream().map(AgentView::id).toList(), now);
    }

    /** Announces the liveness of {@code ids} at {@code now} where it changed, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    int announce(List<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
        return announce(ids, announced(ids), now);
    }

    /**
     * After {@code agent}'s heartbeat at {@code now}, in its transaction: the heartbeat makes the agent active, so
     * when the log already says so there is nothing to derive (one statement instead of a derivation's five).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int announceHeartbeat(String agent, Instant now) {
        List<String> ids = List.of(agent);
        Map<String, String> announced = announced(ids);
        return Liveness.ACTIVE.equals(announced.get(agent)) ? 0 : announce(ids, announced, now);
    }

    // what the log last said of each agent, locked until the caller's transaction ends: a change is announced once
    private Map<String, String> announced(List<String> ids) {
        Map<String, String> announced = new HashMap<>();
        for (Object o : em.createNativeQuery("select agent, state from agent_liveness where agent in (:ids) for update")
                .setParameter("ids", ids).getResultList()) {
            Object[] r = (Object[]) o;
            announced.put((String) r[0], (String) r[1]);
        }
        return announced;
    }

    private int announce(List<String> ids, Map<String, String> announced, Instant now) {
        int changes = 0;
        for (Map.Entry<String, Liveness> derived : of(ids, now).entrySet()) {
            String agent = derived.getKey();
            Liveness l = derived.getValue();
            String before = announced.getOrDefault(agent, Liveness.GONE);
            if (before.equals(l.state())) {
                continue;
            }
            em.createNativeQuery("""
                            insert into agent_liveness (agent, state, changed_at) values (:agent, :state, :now)
                            on conflict (agent) do update set state = excluded.state, changed_at = excluded.changed_at""")
                    .setParameter("agent", agent).setParameter("state", l.state()).setParameter("now", now).executeUpdate();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("from", before);
            data.put("to", l.state());
            data.put("lastHeartbeatAt", l.lastHeartbeatAt() == null ? null : l.lastHeartbeatAt().toString());
            data.put("liveLeases", l.liveLeases());
            events.append(now, "agent." + l.state(), null, null, agent, data);
            changes++;
        }
        return changes;
    }
}
