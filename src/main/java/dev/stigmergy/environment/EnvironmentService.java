package dev.stigmergy.environment;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.AlreadyExistsException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Creating and reading environments (DESIGN.md §1 "environment"). */
@ApplicationScoped
@Transactional
public class EnvironmentService {

    static final String NAME = "[a-z0-9][a-z0-9._-]{0,63}";
    static final String NAME_MESSAGE = "must be 1-64 of a-z 0-9 . _ - starting with a letter or digit";

    // environments are created, never changed or deleted: a view read once stays true (misses are not kept);
    // most calls name one, so this saves a query on each
    private final Cache<String, EnvironmentView> byName = Caffeine.newBuilder().maximumSize(10_000).build();

    private final EntityManager em;
    private final EventLog events;
    private final Clock clock;

    public EnvironmentService(EntityManager em, EventLog events, Clock clock) {
        this.em = em;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Creates an environment (admin or maintainer, issue 27), recorded as {@code environment.created}.
     *
     * @throws dev.stigmergy.api.ForbiddenException the call acts as neither admin nor maintainer (403)
     * @throws AlreadyExistsException               the name is taken (409)
     */
    public EnvironmentView create(CreateEnvironment request, Caller caller) {
        caller.requireMaintainer("creating an environment");
        Instant now = clock.instant();
        int inserted = em.createNativeQuery("""
                        insert into environment (name, description, repository, created_at, created_by)
                        values (:name, :description, :repository, :now, :agent)
                        on conflict (name) do nothing""")
                .setParameter("name", request.name())
                .setParameter("description", request.description())
                .setParameter("repository", request.repository())
                .setParameter("now", now)
                .setParameter("agent", caller.agentId())
                .executeUpdate();
        if (inserted == 0) {
            throw new AlreadyExistsException("environment", request.name());
        }
        Map<String, Object> data = new HashMap<>();
        data.put("name", request.name());
        data.put("repository", request.repository());
        events.append(now, "environment.created", request.name(), null, caller.agentId(), data);
        return new EnvironmentView(request.name(), request.description(), request.repository(), now, caller.agentId());
    }

    /**
     * @throws NotFoundException no environment has this name (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public EnvironmentView get(String name) {
        EnvironmentView known = byName.getIfPresent(name);
        if (known != null) {
            return known;
        }
        Environment environment = Environment.findById(name);
        if (environment == null) {
            throw new NotFoundException("environment", name);
        }
        EnvironmentView view = view(environment);
        byName.put(name, view);
        return view;
    }

    /** Every environment, ordered by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<EnvironmentView> list() {
        return Environment.<Environment>listAll(Sort.by("name")).stream().map(EnvironmentService::view).toList();
    }

    private static EnvironmentView view(Environment e) {
        return new EnvironmentView(e.name, e.description, e.repository, e.createdAt, e.createdBy);
    }
}
