package dev.stigmergy.agent;

import dev.stigmergy.api.AlreadyExistsException;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.caller.Roles;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What an admin changes about agents (DESIGN.md §1 "agent", §6; issue 27): registration with the token shown once,
 * environment scopes, the token lifecycle (revoke, rotate with a grace period, expiry), deactivation and roles. Every
 * change is an event; every change of a token or scope reaches {@link AgentService}'s token cache on every replica.
 */
@ApplicationScoped
@Transactional
public class AgentAdministration {

    private final EntityManager em;
    private final EventLog events;
    private final Clock clock;
    private final AgentService agents;
    private final jakarta.enterprise.event.Event<AgentDeactivated> deactivations;

    public AgentAdministration(EntityManager em, EventLog events, Clock clock, AgentService agents,
                               jakarta.enterprise.event.Event<AgentDeactivated> deactivations) {
        this.em = em;
        this.events = events;
        this.clock = clock;
        this.agents = agents;
        this.deactivations = deactivations;
    }

    /**
     * Registers an agent and issues its bearer token, shown once.
     *
     * @param request identity, display name, roles (default {@code [agent]})
     * @param caller  must act as admin
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws InvalidInputException                a role is not registered (400)
     * @throws AlreadyExistsException               the id is taken (409)
     */
    public AgentRegistration register(RegisterAgent request, Caller caller) {
        caller.requireAdmin("registering an agent");
        Instant now = clock.instant();
        List<String> roles = request.roles() == null || request.roles().isEmpty()
                ? List.of(Roles.AGENT) : List.copyOf(new LinkedHashSet<>(request.roles()));
        for (String role : roles) {
            if (Role.findById(role) == null) {
                throw new InvalidInputException("role '" + role + "' is not registered");
            }
        }
        String displayName = request.displayName() == null ? request.id() : request.displayName();
        List<String> scope = checkedScope(request.environments());
        String token = BearerTokens.generate();
        int inserted = em.createNativeQuery("""
                        insert into agent (id, display_name, roles, token_hash, created_at, token_expires_at, environments)
                        values (:id, :displayName, cast(:roles as text[]), :hash, :now,
                                case when :ttl > 0 then cast(:now as timestamptz) + :ttl * interval '1 second' end,
                                cast(:environments as text[]))
                        on conflict (id) do nothing""")
                .setParameter("environments", scope == null ? null : "{" + String.join(",", scope) + "}")
                .setParameter("ttl", request.tokenExpiresInSeconds() == null ? 0L : request.tokenExpiresInSeconds())
                .setParameter("id", request.id())
                .setParameter("displayName", displayName)
                .setParameter("roles", "{" + String.join(",", roles) + "}")
                .setParameter("hash", BearerTokens.hash(token))
                .setParameter("now", now)
                .executeUpdate();
        if (inserted == 0) {
            throw new AlreadyExistsException("agent", request.id());
        }
        Map<String, Object> data = new java.util.HashMap<>(Map.of("id", request.id(), "displayName", displayName,
                "roles", roles));
        data.put("environments", scope);
        events.append(now, "agent.registered", null, null, caller.agentId(), data);
        return new AgentRegistration(new AgentView(request.id(), displayName, roles, now, null, scope), token);
    }

    /**
     * Limits the agent to {@code environments}, or lifts the limit ({@code null}): from now on, on every replica,
     * each call outside them answers 403 and they do not show in its listings or streams (issue 27). Recorded as
     * {@code agent.scope-changed}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws InvalidInputException                an environment does not exist (400)
     * @throws NotFoundException                    no such agent (404)
     * @throws AgentDeactivatedException            the agent was deactivated (409)
     */
    public AgentView setEnvironments(String id, SetEnvironmentScope request, Caller caller) {
        caller.requireAdmin("changing an agent's environments");
        Instant now = clock.instant();
        List<String> scope = checkedScope(request == null ? null : request.environments());
        int changed = em.createNativeQuery("""
                        update agent set environments = cast(:environments as text[])
                         where id = :id and deactivated_at is null""")
                .setParameter("environments", scope == null ? null : "{" + String.join(",", scope) + "}")
                .setParameter("id", id).executeUpdate();
        if (changed == 0) {
            agents.get(id); // 404 when there is no such agent
            throw new AgentDeactivatedException(id);
        }
        agents.tokensChanged(id);
        Map<String, Object> data = new java.util.HashMap<>(Map.of("id", id));
        data.put("environments", scope);
        events.append(now, "agent.scope-changed", null, null, caller.agentId(), data);
        Agent agent = Agent.findById(id);
        em.refresh(agent);
        return AgentService.view(agent);
    }

    // distinct names of existing environments, sorted; none (null or empty, as for roles: generated clients send
    // an empty list for an absent one) is null, every environment. An agent that should reach none is deactivated.
    private List<String> checkedScope(List<String> environments) {
        if (environments == null || environments.isEmpty()) {
            return null;
        }
        List<String> names = new java.util.TreeSet<>(environments).stream().toList();
        @SuppressWarnings("unchecked")
        List<String> known = em.createNativeQuery("select name from environment where name in (:names)")
                .setParameter("names", names).getResultList();
        for (String name : names) {
            if (!known.contains(name)) {
                throw new InvalidInputException("environment '" + name + "' does not exist");
            }
        }
        return names;
    }

    /**
     * Revokes the agent's token (admin), and a rotated one still in its grace period: both answer 401 from now on,
     * on every replica. The agent keeps its identity and holds; {@link #rotateToken} gives it a new token. Recorded
     * as {@code agent.token-revoked}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws NotFoundException                    no such agent (404)
     */
    public AgentView revokeToken(String id, Caller caller) {
        caller.requireAdmin("revoking a token");
        Instant now = clock.instant();
        // a hash no token is ever shown for: the column stays unique and not null
        int changed = em.createNativeQuery("""
                        update agent set token_hash = :hash, previous_token_hash = null, previous_token_valid_until = null,
                                         token_expires_at = null
                         where id = :id""")
                .setParameter("hash", BearerTokens.hash(BearerTokens.generate())).setParameter("id", id).executeUpdate();
        if (changed == 0) {
            throw new NotFoundException("agent", id);
        }
        agents.tokensChanged(id);
        events.append(now, "agent.token-revoked", null, null, caller.agentId(), Map.of("id", id));
        return agents.get(id);
    }

    /**
     * Rotates the agent's token (admin): a new token, shown once, and the old one valid beside it for
     * {@code graceSeconds} (then 401; never past the old token's own expiry), the new one expiring after
     * {@code tokenExpiresInSeconds} when given. A token still in the grace period of an earlier rotation ends now. Recorded as
     * {@code agent.token-rotated}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws NotFoundException                    no such agent (404)
     */
    public AgentRegistration rotateToken(String id, RotateToken request, Caller caller) {
        caller.requireAdmin("rotating a token");
        Instant now = clock.instant();
        int grace = request == null || request.graceSeconds() == null ? 300 : request.graceSeconds();
        String token = BearerTokens.generate();
        Instant validUntil = now.plusSeconds(grace);
        int changed = em.createNativeQuery("""
                        update agent set previous_token_hash = token_hash,
                                         previous_token_valid_until = least(:validUntil, token_expires_at),
                                         token_hash = :hash,
                                         token_expires_at = case when :ttl > 0
                                                                 then cast(:now as timestamptz) + :ttl * interval '1 second' end
                         where id = :id and deactivated_at is null""")
                .setParameter("ttl", request == null || request.tokenExpiresInSeconds() == null ? 0L
                        : request.tokenExpiresInSeconds())
                .setParameter("now", now)
                .setParameter("validUntil", validUntil).setParameter("hash", BearerTokens.hash(token))
                .setParameter("id", id).executeUpdate();
        if (changed == 0) {
            agents.get(id); // 404 when there is no such agent
            throw new AgentDeactivatedException(id);
        }
        agents.tokensChanged(id);
        events.append(now, "agent.token-rotated", null, null, caller.agentId(),
                Map.of("id", id, "graceSeconds", grace, "previousValidUntil", validUntil.toString()));
        return new AgentRegistration(agents.get(id), token);
    }

    /**
     * Deactivates an agent (admin): its tokens answer 401 from now on, on every replica, and cannot be rotated back;
     * each of its live holds (locks, intents, pheromone claims) ends through its owner's normal release path, with
     * that path's events ({@code lock.released}, {@code intent.released}, {@code pheromone.released}) and effects
     * (pending unlock requests OBSOLETE, {@code files_blocked} retracted), all in this transaction. Recorded as
     * {@code agent.deactivated} with the holds it released. Deactivating an agent again changes nothing.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin, or names itself (403)
     * @throws NotFoundException                    no such agent (404)
     */
    public AgentView deactivate(String id, Caller caller) {
        caller.requireAdmin("deactivating an agent");
        if (id.equals(caller.agentId())) {
            throw new ForbiddenException("an admin cannot deactivate itself");
        }
        Instant now = clock.instant();
        int changed = em.createNativeQuery("""
                        update agent set token_hash = :hash, previous_token_hash = null, previous_token_valid_until = null,
                                         token_expires_at = null, deactivated_at = :now
                         where id = :id and deactivated_at is null""")
                .setParameter("hash", BearerTokens.hash(BearerTokens.generate())).setParameter("now", now)
                .setParameter("id", id).executeUpdate();
        if (changed == 0) {
            return agents.get(id); // 404 when there is no such agent; already deactivated otherwise
        }
        agents.tokensChanged(id);
        AgentDeactivated deactivation = new AgentDeactivated(id, now);
        deactivations.fire(deactivation);
        events.append(now, "agent.deactivated", null, null, caller.agentId(),
                Map.of("id", id, "released", deactivation.releasedHolds()));
        return agents.get(id);
    }

    /**
     * Registers a role (admin); recorded as {@code role.registered}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the caller does not act as admin (403)
     * @throws AlreadyExistsException               the name is taken (409)
     */
    public RoleView registerRole(RegisterRole request, Caller caller) {
        caller.requireAdmin("registering a role");
        Instant now = clock.instant();
        String description = request.description() == null ? "" : request.description();
        boolean readOnly = Boolean.TRUE.equals(request.readOnly());
        int inserted = em.createNativeQuery("""
                        insert into role (name, description, read_only, built_in)
                        values (:name, :description, :readOnly, false) on conflict (name) do nothing""")
                .setParameter("name", request.name())
                .setParameter("description", description)
                .setParameter("readOnly", readOnly)
                .executeUpdate();
        if (inserted == 0) {
            throw new AlreadyExistsException("role", request.name());
        }
        events.append(now, "role.registered", null, null, caller.agentId(),
                Map.of("name", request.name(), "readOnly", readOnly));
        return new RoleView(request.name(), description, readOnly, false);
    }
}
