package dev.stigmergy.ready;

import dev.stigmergy.api.InvalidInputException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * A position in the ready order, opaque to callers: the instant the walk ranks at (so decay cannot reorder pages),
 * and the last entity answered by its sort key (importance, createdAt, id). An entity whose sort key did not change
 * between pages appears exactly once in a walk.
 */
record ReadyCursor(Instant at, double importance, Instant createdAt, long id) {

    String encode() {
        String text = at.getEpochSecond() + ":" + at.getNano() + ":" + Double.doubleToLongBits(importance) + ":"
                + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /** @throws InvalidInputException not a cursor this service wrote (400) */
    static ReadyCursor decode(String after) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.US_ASCII).split(":");
            if (p.length != 6) {
                throw new IllegalArgumentException();
            }
            double importance = Double.longBitsToDouble(Long.parseLong(p[2]));
            if (!Double.isFinite(importance) || importance < 0) {
                throw new IllegalArgumentException();
            }
            return new ReadyCursor(Instant.ofEpochSecond(Long.parseLong(p[0]), Long.parseLong(p[1])), importance,
                    Instant.ofEpochSecond(Long.parseLong(p[3]), Long.parseLong(p[4])), Long.parseLong(p[5]));
        } catch (RuntimeException e) {
            throw new InvalidInputException("after is not a cursor of the ready query; pass nextAfter as it was answered");
        }
    }
}
