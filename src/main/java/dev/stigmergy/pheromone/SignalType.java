package dev.stigmergy.pheromone;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** A registered signal type; mirrors {@code V10__create_signal_type.sql}. Package-internal. */
@Entity
@Table(name = "signal_type")
class SignalType extends PanacheEntityBase {

    @Id
    String name;

    @Column(name = "display_name", nullable = false)
    String displayName;

    @Column(nullable = false)
    String description;

    String colour;

    @Column(name = "decay_kind", nullable = false)
    String decayKind;

    @Column(name = "half_life_seconds")
    Long halfLifeSeconds;

    @Column(name = "min_half_life_seconds")
    Long minHalfLifeSeconds;

    @Column(name = "max_half_life_seconds")
    Long maxHalfLifeSeconds;

    Double floor;

    @Column(name = "ttl_seconds")
    Long ttlSeconds;

    @Column(name = "window_seconds")
    Long windowSeconds;

    @Column(name = "max_intensity", nullable = false)
    double maxIntensity;

    @Column(name = "deposit_cap")
    Double depositCap;

    @Column(name = "write_roles", nullable = false)
    String[] writeRoles;

    @Column(name = "reinforce_roles", nullable = false)
    String[] reinforceRoles;

    @Column(name = "service_owned", nullable = false)
    boolean serviceOwned;

    @Column(name = "built_in", nullable = false)
    boolean builtIn;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    /** The type's decay policy, from its columns; the rules dispatch on it, never on {@code decayKind}. */
    DecayPolicy decay() {
        return switch (decayKind) {
            case DecayPolicy.Exponential.KIND ->
                    new DecayPolicy.Exponential(halfLifeSeconds, floor, minHalfLifeSeconds, maxHalfLifeSeconds);
            case DecayPolicy.Expiry.KIND -> new DecayPolicy.Expiry(ttlSeconds);
            case DecayPolicy.ReinforcementOnly.KIND -> new DecayPolicy.ReinforcementOnly(windowSeconds);
            default -> new DecayPolicy.Permanent();
        };
    }

    /** Whether the type's strength lives in verdicts (REINFORCEMENT_ONLY), not in its rows. */
    boolean reinforcementOnly() {
        return decay() instanceof DecayPolicy.ReinforcementOnly;
    }

    void decay(DecayPolicy policy) {
        decayKind = policy.kind();
        halfLifeSeconds = minHalfLifeSeconds = maxHalfLifeSeconds = ttlSeconds = windowSeconds = null;
        floor = null;
        if (policy instanceof DecayPolicy.Exponential e) {
            halfLifeSeconds = e.halfLifeSeconds();
            floor = e.floor();
            minHalfLifeSeconds = e.minHalfLifeSeconds();
            maxHalfLifeSeconds = e.maxHalfLifeSeconds();
        } else if (policy instanceof DecayPolicy.Expiry x) {
            ttlSeconds = x.ttlSeconds();
        } else if (policy instanceof DecayPolicy.ReinforcementOnly r) {
            windowSeconds = r.windowSeconds();
        }
    }

    /** A copy outside any persistence context, to keep between transactions (SignalTypeService's cache). */
    SignalType detachedCopy() {
        SignalType copy = new SignalType();
        copy.name = name;
        copy.displayName = displayName;
        copy.description = description;
        copy.colour = colour;
        copy.decay(decay());
        copy.maxIntensity = maxIntensity;
        copy.depositCap = depositCap;
        copy.writeRoles = writeRoles.clone();
        copy.reinforceRoles = reinforceRoles.clone();
        copy.serviceOwned = serviceOwned;
        copy.builtIn = builtIn;
        copy.createdAt = createdAt;
        copy.createdBy = createdBy;
        return copy;
    }

    /** The most a plain deposit may reach: {@code depositCap} when set, never above {@code maxIntensity}. */
    double depositLimit() {
        return depositCap == null ? maxIntensity : Math.min(depositCap, maxIntensity);
    }

    List<String> writeRoleList() {
        return Arrays.asList(writeRoles);
    }

    List<String> reinforceRoleList() {
        return Arrays.asList(reinforceRoles);
    }

    SignalTypeView view() {
        return new SignalTypeView(name, displayName, description, colour, decay(), maxIntensity, depositCap,
                writeRoleList(), reinforceRoleList(), serviceOwned, builtIn, createdAt, createdBy);
    }
}
