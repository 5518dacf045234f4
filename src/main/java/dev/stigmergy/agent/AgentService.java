package dev.stigmergy.agent;

import dev.stigmergy.api.AlreadyExistsException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import io.quarkus.panache.common.Sort;
import java.util.Optional;

/** Registration, lookup and authentication of agents (DESIGN.md §1 "agent", §6). */
@ApplicationScoped
@Transactional
public class AgentService {

    /** A token's agent and the role its call acts as. */
    record Authenticated(String agentId, List<String> roles, String actingRole, boolean readOnly) {
    }

    private final EntityManager em;
    private final EventLog events;
    private final Clock clock;

    public AgentService(EntityManager em, EventLog events, Clock clock) {
        this.em = em;
        this.events = events;
        this.clock = clock;
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
                ? List.of(Role.AGENT) : List.copyOf(new LinkedHashSet<>(request.roles()));
        for (String role : roles) {
            if (Role.findById(role) == null) {
                throw new InvalidInputException("role '" + role + "' is not registered");
            }
        }
        String token = BearerTokens.generate();
        int inserted = em.createNativeQuery("""
                        insert into agent (id, display_name, roles, token_hash, created_at)
                        values (:id, :displayName, cast(:roles as text[]), :hash, :now)
                        on conflict (id) do nothing""")
                .setParameter("id", request.id())
                .setParameter("displayName", request.displayName())
                .setParameter("roles", "{" + String.join(",", roles) + "}")
                .setParameter("hash", BearerTokens.hash(token))
                .setParameter("now", now)
                .executeUpdate();
        if (inserted == 0) {
            throw new AlreadyExistsException("agent", request.id());
        }
        events.append(now, "agent.registered", null, null, caller.agentId(),
                Map.of("id", request.id(), "displayName", request.displayName(), "roles", roles));
        return new AgentRegistration(new AgentView(request.id(), request.displayName(), roles, now), token);
    }

    /**
     * @throws NotFoundException no agent has this id (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AgentView get(String id) {
        Agent agent = Agent.findById(id);
        if (agent == null) {
            throw new NotFoundException("agent", id);
        }
        return view(agent);
    }

    /** Every agent, ordered by id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AgentView> list() {
        return Agent.<Agent>listAll(Sort.by("id")).stream().map(AgentService::view).toList();
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

    /** Every registered role, ordered by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RoleView> roles() {
        return Role.<Role>listAll(Sort.by("name")).stream()
                .map(r -> new RoleView(r.name, r.description, r.readOnly, r.builtIn)).toList();
    }

    /**
     * Resolves a bearer token to its agent and the role the call acts as, in one indexed read.
     *
     * @param token         the presented bearer token
     * @param requestedRole the {@code X-Stigmergy-Role} header, or {@code null} for the agent's first role
     * @return empty when the token belongs to no agent
     * @throws dev.stigmergy.api.ForbiddenException the agent did not declare the requested role (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    Optional<Authenticated> authenticate(String token, String requestedRole) {
        List<?> rows = em.createNativeQuery("""
                        select a.id, a.roles, coalesce(r.read_only, false)
                        from agent a left join role r on r.name = coalesce(:role, a.roles[1])
                        where a.token_hash = :hash""")
                .setParameter("role", requestedRole)
                .setParameter("hash", BearerTokens.hash(token))
                .getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = (Object[]) rows.get(0);
        List<String> roles = Arrays.asList((String[]) row[1]);
        String acting = requestedRole == null ? roles.get(0) : requestedRole;
        if (!roles.contains(acting)) {
            throw new dev.stigmergy.api.ForbiddenException("agent '" + row[0] + "' did not declare role '" + acting
                    + "'; its roles are " + roles);
        }
        return Optional.of(new Authenticated((String) row[0], roles, acting, (Boolean) row[2]));
    }

    private static AgentView view(Agent agent) {
        return new AgentView(agent.id, agent.displayName, Arrays.asList(agent.roles), agent.createdAt);
    }
}
