package dev.stigmergy.agent;

import dev.stigmergy.caller.Identity;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.api.UnauthenticatedException;
import dev.stigmergy.event.Invalidation;
import dev.stigmergy.event.Invalidations;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lookup and authentication of agents (DESIGN.md §1 "agent", §6): who a bearer token belongs to, with the cache that
 * makes it the cheapest read of the service, and each agent with its liveness. What an admin changes (registration,
 * scope, tokens, deactivation, roles) is {@link AgentAdministration}, which tells this cache when a token changed.
 */
@ApplicationScoped
@Transactional
public class AgentService {

    /**
     * A token's agent and the role its call acts as.
     *
     * @param readOnly     whether the acting role may only read (e.g. {@code reviewer})
     * @param environments the environments the agent may reach; {@code null} for every one
     */
    public record Authenticated(String agentId, List<String> roles, String actingRole, boolean readOnly,
                                java.util.Set<String> environments) implements Identity {
    }

    /** A token's agent, as cached: agents and their roles are never changed, only the admin's token (AdminBootstrap). */
    private record TokenOwner(String agentId, List<String> roles, Instant validUntil, java.util.Set<String> environments) {
    }

    private final EntityManager em;
    private final Clock clock;
    private final Instance<AgentLiveness> liveness;
    private final Invalidations invalidations;
    private final jakarta.enterprise.event.Event<TokensChanged> tokenChanges;
    // every call authenticates, so this is the hottest read of the service (benchmarks P1, P2, P7). Entries go
    // when an Invalidation names their agent, at the latest after a minute (a replica cut off from the
    // notifications meanwhile); unknown tokens are not cached.
    private final Cache<String, TokenOwner> owners = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();
    // roles are inserted, never changed or deleted
    private final Map<String, Boolean> readOnlyRoles = new ConcurrentHashMap<>();

    public AgentService(EntityManager em, Clock clock, Instance<AgentLiveness> liveness,
                        Invalidations invalidations, jakarta.enterprise.event.Event<TokensChanged> tokenChanges) {
        this.liveness = liveness;
        this.invalidations = invalidations;
        this.tokenChanges = tokenChanges;
        this.em = em;
        this.clock = clock;
    }

    void onInvalidation(@Observes(during = TransactionPhase.AFTER_SUCCESS) Invalidation invalidation) {
        if (invalidation.topic() == null) {
            owners.invalidateAll();
        } else {
            owners.asMap().values().removeIf(owner -> invalidation.covers(topic(owner.agentId())));
        }
    }

    /** The {@link Invalidation} topic of an agent whose token changed. */
    static String topic(String agentId) {
        return "agent:" + agentId;
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

    /**
     * A page of agents ordered by id, each with its liveness at this instant.
     *
     * @param after the id to read after ({@code nextAfter} of the previous page), or {@code null} from the start
     * @param limit page size, 1–1000
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AgentPage listWithLiveness(String after, int limit) {
        // one more than the page tells whether another follows, without a count
        List<AgentView> read = page(null, after, limit + 1);
        boolean more = read.size() > limit;
        List<AgentView> agents = more ? read.subList(0, limit) : read;
        return new AgentPage(agents, more ? agents.get(agents.size() - 1).id() : null);
    }

    /**
     * One agent with its liveness at this instant.
     *
     * @throws NotFoundException no such agent (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public AgentView getWithLiveness(String id) {
        return withLiveness(List.of(get(id))).get(0);
    }

    private List<AgentView> withLiveness(List<AgentView> views) {
        if (!liveness.isResolvable() || views.isEmpty()) {
            return views;
        }
        Map<String, Liveness> derived = liveness.get().of(views.stream().map(AgentView::id).toList(), clock.instant());
        return views.stream().map(v -> new AgentView(v.id(), v.displayName(), v.roles(), v.createdAt(),
                derived.get(v.id()), v.environments())).toList();
    }

    // this replica forgets the agent's tokens now and after the commit (a call in between may have cached the old
    // row); the others when the invalidation reaches them
    void tokensChanged(String id) {
        owners.asMap().values().removeIf(owner -> owner.agentId().equals(id));
        tokenChanges.fire(new TokensChanged(id));
        invalidations.announce(topic(id));
    }

    /** A CDI event: the tokens of {@code agentId} changed in the current transaction. */
    record TokensChanged(String agentId) {
    }

    void onTokensChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) TokensChanged changed) {
        owners.asMap().values().removeIf(owner -> owner.agentId().equals(changed.agentId()));
    }

    /**
     * A page of agents ordered by id, each with its liveness: those whose id or display name contains
     * {@code text} (case-insensitive; {@code null} for all), after the id {@code after} ({@code null} from the
     * start). For views that must stay small however many agents there are.
     *
     * @param limit most agents answered
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AgentView> page(String text, String after, int limit) {
        Matching matching = Matching.of(text);
        String where = matching.where + (after == null ? "" : " and id > :after");
        Parameters parameters = matching.parameters();
        if (after != null) {
            parameters.and("after", after);
        }
        return withLiveness(Agent.<Agent>find(where + " order by id", parameters).page(0, limit).list().stream()
                .map(AgentService::view).toList());
    }

    /** How many agents {@link #page} walks through for {@code text}. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(String text) {
        Matching matching = Matching.of(text);
        return Agent.count(matching.where, matching.parameters());
    }

    /** The text filter of {@link #page} as a query condition: a substring of id or display name, any case. */
    private record Matching(String where, String pattern) {
        static Matching of(String text) {
            if (text == null || text.isBlank()) {
                return new Matching("1 = 1", null);
            }
            // LIKE's wildcards in the text match themselves
            String escaped = text.strip().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            return new Matching("(lower(id) like :pattern escape '\\' or lower(displayName) like :pattern escape '\\')",
                    "%" + escaped + "%");
        }

        Parameters parameters() {
            return pattern == null ? new Parameters() : Parameters.with("pattern", pattern);
        }
    }

    /** Every agent, ordered by id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<AgentView> list() {
        return Agent.<Agent>listAll(Sort.by("id")).stream().map(AgentService::view).toList();
    }

    /** Every registered role, ordered by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<RoleView> roles() {
        return Role.<Role>listAll(Sort.by("name")).stream()
                .map(r -> new RoleView(r.name, r.description, r.readOnly, r.builtIn)).toList();
    }

    /**
     * Authenticates a call by its headers, the same way for every door (REST, MCP): an
     * {@code Authorization: Bearer <token>} header and an optional role header.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param requestedRole the {@code X-Stigmergy-Role} header, or {@code null} for the agent's first role
     * @throws UnauthenticatedException no or malformed header, or a token that belongs to no agent (401)
     * @throws ForbiddenException       the role header is malformed or names a role the agent did not declare (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Authenticated authenticateBearer(String authorization, String requestedRole) {
        if (authorization == null || authorization.isBlank()) {
            throw new UnauthenticatedException("send 'Authorization: Bearer <token>'; tokens are issued at agent registration");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() > 512) {
            throw new UnauthenticatedException("the Authorization header must be 'Bearer <token>'");
        }
        if (requestedRole != null && !requestedRole.matches(Ids.ROLE)) {
            throw new ForbiddenException(BearerAuthentication.ROLE_HEADER + " must name one of the agent's roles");
        }
        return authenticate(authorization.substring(7).trim(), requestedRole)
                .orElseThrow(() -> new UnauthenticatedException("the bearer token belongs to no agent"));
    }

    /**
     * Resolves a bearer token to its agent and the role the call acts as: from the cache, or one indexed read.
     *
     * @param token         the presented bearer token
     * @param requestedRole the {@code X-Stigmergy-Role} header, or {@code null} for the agent's first role
     * @return empty when the token belongs to no agent
     * @throws dev.stigmergy.api.ForbiddenException the agent did not declare the requested role (403)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    Optional<Authenticated> authenticate(String token, String requestedRole) {
        String hash = BearerTokens.hash(token);
        Instant now = clock.instant();
        TokenOwner owner = owners.getIfPresent(hash);
        if (owner == null) {
            // the current token, or the previous one during its grace period after a rotation
            List<?> rows = em.createNativeQuery("""
                            select a.id, a.roles, a.environments,
                                   case when a.token_hash = :hash then a.token_expires_at else a.previous_token_valid_until end
                              from agent a
                             where a.deactivated_at is null
                               and ((a.token_hash = :hash and (a.token_expires_at is null or a.token_expires_at > :now))
                                or (a.previous_token_hash = :hash and a.previous_token_valid_until > :now))""")
                    .setParameter("hash", hash).setParameter("now", now).getResultList();
            if (rows.isEmpty()) {
                return Optional.empty();
            }
            Object[] row = (Object[]) rows.get(0);
            owner = new TokenOwner((String) row[0], List.of((String[]) row[1]), dev.stigmergy.time.SqlTimes.instant(row[3]),
                    row[2] == null ? null : java.util.Set.of((String[]) row[2]));
            owners.put(hash, owner);
        }
        if (owner.validUntil() != null && !now.isBefore(owner.validUntil())) {
            owners.invalidate(hash); // an expired token, or a rotated one past its grace period
            return Optional.empty();
        }
        String acting = requestedRole == null ? owner.roles().get(0) : requestedRole;
        if (!owner.roles().contains(acting)) {
            throw new dev.stigmergy.api.ForbiddenException("agent '" + owner.agentId() + "' did not declare role '"
                    + acting + "'; its roles are " + owner.roles());
        }
        return Optional.of(new Authenticated(owner.agentId(), owner.roles(), acting, readOnly(acting), owner.environments()));
    }

    private boolean readOnly(String role) {
        Boolean known = readOnlyRoles.get(role);
        if (known != null) {
            return known;
        }
        Role found = Role.findById(role);
        boolean readOnly = found != null && found.readOnly;
        if (found != null) {
            readOnlyRoles.put(role, readOnly);
        }
        return readOnly;
    }

    static AgentView view(Agent agent) {
        return new AgentView(agent.id, agent.displayName, Arrays.asList(agent.roles), agent.createdAt, null,
                agent.environments == null ? null : Arrays.asList(agent.environments));
    }
}
