package dev.stigmergy.lease;

import dev.stigmergy.agent.AgentLiveness;
import dev.stigmergy.agent.AgentService;
import dev.stigmergy.agent.AgentView;
import dev.stigmergy.agent.Liveness;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.LastSeen;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
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
     * Every agent's liveness is derived first without a lock; only the agents whose state changed are then locked
     * and announced, in a short transaction of their own that skips rows another transaction holds: a heartbeat
     * announcing its own agent (or the other replica's sweep) decides that agent itself. A heartbeat so waits at
     * most for the announcement of a few changed rows, never for the derivation of every agent's (the soak showed
     * heartbeats queued 0.05–2.6 s behind a sweep that held every row while it read the log and the leases).
     *
     * @return how many changes were announced
     */
    @ActivateRequestContext // the derivation reads outside a transaction, also on the scheduler's thread
    @Transactional(Transactional.TxType.SUPPORTS)
    public int announce() {
        Instant now = clock.instant();
        List<String> ids = agents.list().stream().map(AgentView::id).toList();
        if (ids.isEmpty()) {
            return 0;
        }
        Map<String, String> announced = announced(ids, "");
        List<String> changed = of(ids, now).entrySet().stream()
                .filter(e -> !e.getValue().state().equals(announced.getOrDefault(e.getKey(), Liveness.GONE)))
                .map(Map.Entry::getKey).toList();
        if (changed.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            // rows that existed but are locked now are being announced by their holder: leave them to it
            Map<String, String> locked = announced(changed, " for update skip locked");
            List<String> ours = changed.stream().filter(a -> locked.containsKey(a) || !announced.containsKey(a)).toList();
            return announce(ours, locked, now);
        });
    }

    /**
     * After {@code agent}'s heartbeat at {@code now}, in its transaction: the heartbeat makes the agent active, so
     * when the log already says so there is nothing to derive (one statement instead of a derivation's five).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    int announceHeartbeat(String agent, Instant now) {
        List<String> ids = List.of(agent);
        Map<String, String> announced = announced(ids, " for update");
        return Liveness.ACTIVE.equals(announced.get(agent)) ? 0 : announce(ids, announced, now);
    }

    /** The last announced state of each of {@code ids} that has one, read with {@code lock} ("" for none). */
    private Map<String, String> announced(List<String> ids, String lock) {
        Map<String, String> announced = new HashMap<>();
        for (Object o : em.createNativeQuery("select agent, state from agent_liveness where agent in (:ids)" + lock)
                .setParameter("ids", ids).getResultList()) {
            Object[] r = (Object[]) o;
            announced.put((String) r[0], (String) r[1]);
        }
        return announced;
    }

    private int announce(List<String> ids, Map<String, String> announced, Instant now) {
        if (ids.isEmpty()) {
            return 0;
        }
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
