package dev.stigmergy.event;

/**
 * The NATS subject of an event: {@code <prefix>.<environment>.<entityKind>.<entityKey>.<eventType>}, with
 * {@code _} for an absent part. The event type keeps its dots (it spans one token per segment); in the other
 * parts every character NATS reserves (dot, {@code *}, {@code >}, whitespace) becomes {@code _}.
 * Example: {@code stigmergy.web.job.COD2-5.lock.acquired}.
 */
final class NatsSubject {

    private NatsSubject() {
    }

    static String of(String prefix, EventView event) {
        String kind = null;
        String key = null;
        if (event.entity() != null) {
            int slash = event.entity().indexOf('/');
            kind = slash < 0 ? event.entity() : event.entity().substring(0, slash);
            key = slash < 0 ? null : event.entity().substring(slash + 1);
        }
        StringBuilder type = new StringBuilder();
        for (String segment : event.type().split("\\.", -1)) {
            type.append(type.length() == 0 ? "" : ".").append(token(segment));
        }
        return prefix + "." + token(event.environment()) + "." + token(kind) + "." + token(key) + "." + type;
    }

    private static String token(String part) {
        if (part == null || part.isEmpty()) {
            return "_";
        }
        return part.replaceAll("[.*>\\s]", "_");
    }
}
