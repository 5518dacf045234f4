package dev.stigmergy.pheromone;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.entity.EntityRef;
import dev.stigmergy.entity.EntityService;
import dev.stigmergy.event.EventLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Service-owned signals (DESIGN.md §2): the door through which other capabilities keep and retract signals the
 * service itself owns, such as {@code files_blocked} and {@code merge_conflict_risk}. No role check: agents cannot
 * deposit these types ({@link ServiceOwnedSignalException}).
 */
@ApplicationScoped
@Transactional
public class ServiceSignals {

    private final EntityService entities;
    private final SignalTypeService types;
    private final PheromoneRepository repository;
    private final EventLog events;
    private final ObjectMapper json;
    private final Clock clock;

    ServiceSignals(EntityService entities, SignalTypeService types, PheromoneRepository repository, EventLog events,
                   ObjectMapper json, Clock clock) {
        this.entities = entities;
        this.types = types;
        this.repository = repository;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Keeps a service-owned signal (e.g. {@code files_blocked}) on an entity for {@code source}: creates it, or
     * replaces its payload; idempotent. For other capabilities (the intent service), inside their transaction.
     * Recorded as {@code pheromone.kept}.
     *
     * @param type    a service-owned type, e.g. {@code files_blocked}
     * @param source  what owns the signal, e.g. {@code intent:42}; one pheromone per (entity, type, source)
     * @param payload JSON-serialisable details (e.g. files and holder), or {@code null}
     * @return the pheromone's id
     * @throws NotFoundException     unknown entity (404)
     * @throws InvalidInputException the type is not registered or not service-owned
     */
    public long keepServiceSignal(String kind, String key, String type, String source, Object payload) {
        Instant now = clock.instant();
        SignalType t = types.requireForUse(type);
        if (!t.serviceOwned) {
            throw new InvalidInputException("signal type '" + t.name + "' is not service-owned");
        }
        EntityRef entity = entities.require(kind, key);
        String serialised;
        try {
            serialised = payload == null ? null : json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("payload is not serialisable", e);
        }
        long id = repository.keep(entity, t.name, "service:" + source, t.maxIntensity, serialised, now);
        events.append(now, "pheromone.kept", entity.environment(), entity.address(), null,
                Map.of("pheromone", id, "type", t.name, "source", source));
        return id;
    }

    /**
     * Retracts the service-owned signal {@code type} that {@code source} keeps on an entity; idempotent (no-op
     * when absent). Recorded as {@code pheromone.retracted} when something was removed.
     *
     * @return whether a pheromone was removed
     * @throws NotFoundException unknown entity (404)
     */
    public boolean retractServiceSignal(String kind, String key, String type, String source) {
        Instant now = clock.instant();
        EntityRef entity = entities.require(kind, key);
        String name = SignalTypeService.canonical(type);
        Pheromone p = repository.lockExisting(entity.id(), name, "service:" + source);
        if (p == null) {
            return false;
        }
        repository.delete(p);
        events.append(now, "pheromone.retracted", entity.environment(), entity.address(), null,
                Map.of("pheromone", p.id, "type", name, "source", source));
        return true;
    }

}
