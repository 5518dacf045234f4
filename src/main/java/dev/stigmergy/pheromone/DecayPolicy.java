package dev.stigmergy.pheromone;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.eclipse.microprofile.openapi.annotations.media.DiscriminatorMapping;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * How a signal type's intensity decays (DESIGN.md §2). Every signal type has exactly one; on the wire it is
 * an object whose {@code kind} names the policy. Decay is computed on read: nothing rewrites a live row.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = DecayPolicy.Exponential.class, name = DecayPolicy.Exponential.KIND),
        @JsonSubTypes.Type(value = DecayPolicy.Expiry.class, name = DecayPolicy.Expiry.KIND),
        @JsonSubTypes.Type(value = DecayPolicy.ReinforcementOnly.class, name = DecayPolicy.ReinforcementOnly.KIND),
        @JsonSubTypes.Type(value = DecayPolicy.Permanent.class, name = DecayPolicy.Permanent.KIND)})
@Schema(name = "DecayPolicy", description = "Decay policy; `kind` is EXPONENTIAL, EXPIRY, REINFORCEMENT_ONLY or "
        + "PERMANENT (service-owned types only)",
        oneOf = {DecayPolicy.Exponential.class, DecayPolicy.Expiry.class, DecayPolicy.ReinforcementOnly.class,
                DecayPolicy.Permanent.class},
        discriminatorProperty = "kind",
        discriminatorMapping = {
                @DiscriminatorMapping(value = DecayPolicy.Exponential.KIND, schema = DecayPolicy.Exponential.class),
                @DiscriminatorMapping(value = DecayPolicy.Expiry.KIND, schema = DecayPolicy.Expiry.class),
                @DiscriminatorMapping(value = DecayPolicy.ReinforcementOnly.KIND, schema = DecayPolicy.ReinforcementOnly.class),
                @DiscriminatorMapping(value = DecayPolicy.Permanent.KIND, schema = DecayPolicy.Permanent.class)})
public sealed interface DecayPolicy {

    /** The wire name of the policy, as stored in {@code signal_type.decay_kind}. */
    String kind();

    /**
     * I(t) = I₀ · 2^(−(t − t₀)/halfLife); invisible once below {@code floor}.
     *
     * @param halfLifeSeconds    half-life, 1 s to 30 days
     * @param floor              intensity below which a deposit is invisible, default 0.05
     * @param minHalfLifeSeconds smallest half-life a deposit may ask for, default halfLife / 10 (at least 1)
     * @param maxHalfLifeSeconds largest half-life a deposit may ask for, default halfLife · 10
     */
    @Schema(name = "ExponentialDecay", requiredProperties = "kind",
            properties = @SchemaProperty(name = "kind", type = SchemaType.STRING, enumeration = Exponential.KIND))
    record Exponential(@NotNull @Min(1) @Max(2_592_000) Long halfLifeSeconds,
                       @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000") Double floor,
                       @Min(1) @Max(25_920_000) Long minHalfLifeSeconds,
                       @Min(1) @Max(25_920_000) Long maxHalfLifeSeconds) implements DecayPolicy {

        /** The policy's {@link #kind()}. */
        public static final String KIND = "EXPONENTIAL";
        /** Default {@code floor}. */
        public static final double DEFAULT_FLOOR = 0.05;

        public Exponential {
            floor = floor == null ? DEFAULT_FLOOR : floor;
            if (halfLifeSeconds != null) {
                minHalfLifeSeconds = minHalfLifeSeconds == null ? Math.max(1, halfLifeSeconds / 10) : minHalfLifeSeconds;
                maxHalfLifeSeconds = maxHalfLifeSeconds == null ? halfLifeSeconds * 10 : maxHalfLifeSeconds;
            }
        }

        @Override
        public String kind() {
            return KIND;
        }

        /** Intensity at {@code now} of {@code i0} deposited (or last folded) at {@code t0}. */
        static double intensityAt(double i0, Instant t0, Instant now, long halfLifeSeconds) {
            double elapsedSeconds = Math.max(0, Duration.between(t0, now).toNanos() / 1e9);
            return i0 * Math.pow(2, -elapsedSeconds / halfLifeSeconds);
        }

        /** When {@code i0} at {@code t0} falls below {@code floor}: t₀ + halfLife · log₂(I₀/floor). */
        static Instant visibleUntil(double i0, Instant t0, long halfLifeSeconds, double floor) {
            if (i0 <= floor) {
                return t0;
            }
            double seconds = halfLifeSeconds * (Math.log(i0 / floor) / Math.log(2));
            return t0.plusNanos((long) Math.floor(seconds * 1e9));
        }

        /** Time-invariant ordering key: log₂I₀ + t₀/halfLife orders deposits of one half-life by I(t) at any t. */
        static double rankKey(double i0, Instant t0, long halfLifeSeconds) {
            double epochSeconds = t0.getEpochSecond() + t0.getNano() / 1e9;
            return (i0 <= 0 ? -1e300 : Math.log(i0) / Math.log(2)) + epochSeconds / halfLifeSeconds;
        }
    }

    /**
     * Constant intensity until {@code expiresAt} = deposit time + ttl, then invisible.
     *
     * @param ttlSeconds time to live after each deposit, 1 s to 1 year
     */
    @Schema(name = "ExpiryDecay", requiredProperties = "kind",
            properties = @SchemaProperty(name = "kind", type = SchemaType.STRING, enumeration = Expiry.KIND))
    record Expiry(@NotNull @Min(1) @Max(31_536_000) Long ttlSeconds) implements DecayPolicy {

        /** The policy's {@link #kind()}. */
        public static final String KIND = "EXPIRY";

        @Override
        public String kind() {
            return KIND;
        }
    }

    /**
     * Strength is the sum of the validators' verdicts (approve +boost, reject −penalty) decided within the
     * last {@code windowSeconds}, between 0 and the type's {@code maxIntensity}; deposits carry no strength.
     *
     * @param windowSeconds how far back verdicts count, 1 s to 1 year
     */
    @Schema(name = "ReinforcementOnlyDecay", requiredProperties = "kind",
            properties = @SchemaProperty(name = "kind", type = SchemaType.STRING, enumeration = ReinforcementOnly.KIND))
    record ReinforcementOnly(@NotNull @Min(1) @Max(31_536_000) Long windowSeconds) implements DecayPolicy {

        /** The policy's {@link #kind()}. */
        public static final String KIND = "REINFORCEMENT_ONLY";

        @Override
        public String kind() {
            return KIND;
        }
    }

    /** Never decays; reserved for service-owned types that the service itself keeps and retracts. */
    @Schema(name = "PermanentDecay", requiredProperties = "kind",
            properties = @SchemaProperty(name = "kind", type = SchemaType.STRING, enumeration = Permanent.KIND))
    @JsonSerialize(using = Permanent.Writer.class)
    record Permanent() implements DecayPolicy {

        /** The policy's {@link #kind()}. */
        public static final String KIND = "PERMANENT";

        /** Writes {@code {"kind": "PERMANENT"}}: a record without components has no properties to write. */
        static final class Writer extends StdSerializer<Permanent> {
            Writer() {
                super(Permanent.class);
            }

            @Override
            public void serialize(Permanent value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeStartObject();
                gen.writeStringField("kind", value.kind());
                gen.writeEndObject();
            }

            @Override
            public void serializeWithType(Permanent value, JsonGenerator gen, SerializerProvider provider,
                                          TypeSerializer typeSerializer) throws IOException {
                serialize(value, gen, provider);
            }
        }

        @Override
        public String kind() {
            return KIND;
        }
    }
}
