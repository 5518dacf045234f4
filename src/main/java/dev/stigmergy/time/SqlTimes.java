package dev.stigmergy.time;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;

/** Reading {@code timestamptz} columns of native query rows, which Hibernate and the driver hand over as one of three types. */
public final class SqlTimes {

    private SqlTimes() {
    }

    /** The instant of a native query's {@code timestamptz} value ({@link Instant}, {@link OffsetDateTime} or {@link Timestamp}); {@code null} stays null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
