package dev.stigmergy.pheromone;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.stigmergy.caller.Caller;
import dev.stigmergy.api.AlreadyExistsException;
import dev.stigmergy.api.ForbiddenException;
import dev.stigmergy.api.InvalidInputException;
import dev.stigmergy.api.NotFoundException;
import dev.stigmergy.event.EventLog;
import dev.stigmergy.event.Invalidation;
import dev.stigmergy.event.Invalidations;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The signal-type registry (DESIGN.md §2): every type has a mandatory decay policy. */
@ApplicationScoped
@Transactional
public class SignalTypeService {

    /** Families under which open-ended types may be registered, as {@code family.name}. */
    public static final Set<String> FAMILIES = Set.of("request", "completion", "error", "claim", "heartbeat", "discovery");

    private static final String SEGMENT = "[a-z][a-z0-9_]{0,47}";
    // compiled once: every deposit, verdict and claim checks its type's name
    private static final Pattern VALID_SEGMENT = Pattern.compile(SEGMENT);
    private static final Pattern CAMEL_HUMP = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^a-z0-9]+");
    private static final Pattern EDGE_UNDERSCORES = Pattern.compile("^_+|_+$");
    private static final String TOPIC = "signal-type:";

    // every deposit, verdict and claim reads its type: copies are kept until an Invalidation names them (a change
    // or deletion on any replica), at the latest for a minute; unknown names are not kept
    private final Cache<String, SignalType> forUse = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1)).build();

    private final SignalTypeRepository types;
    private final PheromoneRepository pheromones;
    private final EventLog events;
    private final Invalidations invalidations;
    private final Clock clock;

    public SignalTypeService(SignalTypeRepository types, PheromoneRepository pheromones, EventLog events,
                             Invalidations invalidations, Clock clock) {
        this.types = types;
        this.pheromones = pheromones;
        this.events = events;
        this.invalidations = invalidations;
        this.clock = clock;
    }

    void onInvalidation(@Observes(during = TransactionPhase.AFTER_SUCCESS) Invalidation invalidation) {
        invalidation.evict(forUse, TOPIC);
    }

    /**
     * Checks that a type name is already canonical: lower_snake, with an optional family prefix
     * ({@code take_up_interest}, {@code request.review_needed}). Names are refused rather than rewritten, so that
     * no caller's input is silently changed into another name; the refusal suggests the canonical form when
     * there is one ({@code "Take-Up Interest"} → {@code take_up_interest}).
     *
     * @return the name, unchanged
     * @throws InvalidInputException not canonical, or the prefix is no known family (400)
     */
    public static String canonical(String raw) {
        String[] parts = raw.split("\\.", -1);
        if (parts.length > 2) {
            throw new InvalidInputException("signal type '" + raw + "' has more than one '.'; only family.name is allowed");
        }
        for (int i = 0; i < parts.length; i++) {
            if (!VALID_SEGMENT.matcher(parts[i]).matches()) {
                String suggestion = suggest(raw);
                throw new InvalidInputException("signal type '" + raw + "' is not lower_snake (1-48 of a-z 0-9 _ "
                        + "starting with a letter, per part)" + (suggestion == null ? "" : "; did you mean '" + suggestion + "'?"));
            }
            if (i == 0 && parts.length == 2 && !FAMILIES.contains(parts[0])) {
                throw new InvalidInputException("signal type family '" + parts[0] + "' is not one of " + FAMILIES.stream().sorted().toList());
            }
        }
        return raw;
    }

    /** The lower_snake form of a name written in another case or with other separators, or {@code null}. */
    private static String suggest(String raw) {
        StringBuilder out = new StringBuilder();
        String[] parts = raw.trim().split("\\.", -1);
        for (int i = 0; i < parts.length; i++) {
            String s = CAMEL_HUMP.matcher(parts[i]).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
            s = EDGE_UNDERSCORES.matcher(NOT_ALPHANUMERIC.matcher(s).replaceAll("_")).replaceAll("");
            if (!VALID_SEGMENT.matcher(s).matches()) {
                return null;
            }
            out.append(i == 0 ? "" : ".").append(s);
        }
        // only a spelling of the same words: punctuation beyond separators (quotes, semicolons) gets no suggestion
        return raw.matches("[A-Za-z0-9 _.\\-]+") ? out.toString() : null;
    }

    /**
     * Registers a signal type; any role that may write registers; recorded as {@code signal-type.registered}.
     *
     * @throws InvalidInputException  bad name, PERMANENT decay, depositCap above maxIntensity, bad half-life bounds (400)
     * @throws AlreadyExistsException the name is taken (409)
     */
    public SignalTypeView register(RegisterSignalType request, Caller caller) {
        Instant now = clock.instant();
        String name = canonical(request.name());
        SignalType type = new SignalType();
        type.name = name;
        type.createdAt = now;
        type.createdBy = caller.agentId();
        apply(type, request);
        if (!types.insertIfAbsent(name, now, caller.agentId())) {
            throw new AlreadyExistsException("signal type", name);
        }
        SignalType row = types.findById(name);
        copy(type, row);
        types.flush();
        SignalTypeView view = row.view();
        events.append(now, "signal-type.registered", null, null, caller.agentId(), Map.of("signalType", view));
        return view;
    }

    /**
     * Replaces a type's settings (admin or its registering agent); the decay kind cannot change while a
     * pheromone uses the type; recorded as {@code signal-type.changed}.
     *
     * @throws NotFoundException         unknown type (404)
     * @throws ForbiddenException        built-in or service-owned type, or neither admin nor registrant (403)
     * @throws SignalTypeInUseException  the decay kind would change while pheromones use it (409)
     * @throws InvalidInputException     as for {@link #register} (400)
     */
    public SignalTypeView replace(String rawName, RegisterSignalType request, Caller caller) {
        Instant now = clock.instant();
        SignalType type = requireForChange(rawName, caller, "changing");
        if (!type.decayKind.equals(request.decay().kind())) {
            long used = usage(type.name);
            if (used > 0) {
                throw new SignalTypeInUseException(type.name, used, "change its decay kind from " + type.decayKind
                        + " to " + request.decay().kind());
            }
        }
        apply(type, request);
        types.flush();
        invalidations.announce(TOPIC + type.name);
        SignalTypeView view = type.view();
        events.append(now, "signal-type.changed", null, null, caller.agentId(), Map.of("signalType", view));
        return view;
    }

    /**
     * Deletes a type no pheromone uses (admin or its registering agent); recorded as {@code signal-type.deleted}.
     *
     * @throws NotFoundException        unknown type (404)
     * @throws ForbiddenException       built-in type, or neither admin nor registrant (403)
     * @throws SignalTypeInUseException pheromones use it (409)
     */
    public void delete(String rawName, Caller caller) {
        Instant now = clock.instant();
        SignalType type = requireForChange(rawName, caller, "deleting");
        long used = usage(type.name);
        if (used > 0) {
            throw new SignalTypeInUseException(type.name, used, "delete it");
        }
        types.delete(type);
        invalidations.announce(TOPIC + type.name);
        events.append(now, "signal-type.deleted", null, null, caller.agentId(), Map.of("name", type.name));
    }

    /** Every signal type, ordered by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<SignalTypeView> list() {
        return types.listAll(Sort.by("name")).stream().map(SignalType::view).toList();
    }

    /**
     * @throws NotFoundException unknown type (404)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public SignalTypeView get(String rawName) {
        return require(rawName).view();
    }

    /**
     * The registered type, to read only (a copy shared between calls); package-internal.
     *
     * @throws InvalidInputException unknown type (400)
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    SignalType requireForUse(String rawName) {
        String name = canonical(rawName);
        SignalType known = forUse.getIfPresent(name);
        if (known != null) {
            return known;
        }
        SignalType type = types.findById(name);
        if (type == null) {
            throw new InvalidInputException("signal type '" + rawName + "' is not registered; see GET /signal-types");
        }
        SignalType copy = type.detachedCopy();
        forUse.put(name, copy);
        return copy;
    }

    private SignalType require(String rawName) {
        SignalType type = types.findById(canonical(rawName));
        if (type == null) {
            throw new NotFoundException("signal type", rawName);
        }
        return type;
    }

    private SignalType requireForChange(String rawName, Caller caller, String what) {
        SignalType type = require(rawName);
        if (type.builtIn || type.serviceOwned) {
            throw new ForbiddenException("signal type '" + type.name + "' is built in; " + what + " it is refused");
        }
        if (!caller.isAdmin() && !type.createdBy.equals(caller.agentId())) {
            throw new ForbiddenException(what + " signal type '" + type.name + "' needs the admin role or its registrant");
        }
        return type;
    }

    private long usage(String type) {
        return pheromones.countOfType(type);
    }

    private static void apply(SignalType type, RegisterSignalType r) {
        if (r.decay() instanceof DecayPolicy.Permanent) {
            throw new InvalidInputException("decay PERMANENT is reserved for service-owned types; give EXPONENTIAL, "
                    + "EXPIRY or REINFORCEMENT_ONLY");
        }
        if (r.decay() instanceof DecayPolicy.Exponential e
                && !(e.minHalfLifeSeconds() <= e.halfLifeSeconds() && e.halfLifeSeconds() <= e.maxHalfLifeSeconds())) {
            throw new InvalidInputException("decay needs minHalfLifeSeconds ≤ halfLifeSeconds ≤ maxHalfLifeSeconds");
        }
        double max = r.maxIntensity() == null ? 10 : r.maxIntensity();
        if (r.depositCap() != null && r.depositCap() > max) {
            throw new InvalidInputException("depositCap " + r.depositCap() + " is above maxIntensity " + max);
        }
        type.decay(r.decay());
        type.maxIntensity = max;
        type.depositCap = r.depositCap();
        type.writeRoles = (r.writeRoles() == null ? List.of("*") : r.writeRoles()).toArray(String[]::new);
        type.reinforceRoles = (r.reinforceRoles() == null ? List.of("validator", "admin") : r.reinforceRoles())
                .toArray(String[]::new);
        type.displayName = r.displayName() == null || r.displayName().isBlank() ? type.name : r.displayName();
        type.description = r.description() == null ? "" : r.description();
        type.colour = r.colour();
    }

    private static void copy(SignalType from, SignalType to) {
        to.decay(from.decay());
        to.maxIntensity = from.maxIntensity;
        to.depositCap = from.depositCap;
        to.writeRoles = from.writeRoles;
        to.reinforceRoles = from.reinforceRoles;
        to.displayName = from.displayName;
        to.description = from.description;
        to.colour = from.colour;
    }
}
