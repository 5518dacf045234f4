package dev.stigmergy.metrics;

import dev.stigmergy.db.Sql;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Clock;
import java.time.Instant;

/**
 * The domain's gauges on {@code /q/metrics} (issue 29), counted across all replicas from PostgreSQL when scraped
 * and kept for {@code CACHE_MILLIS}, so that frequent scrapes cost one read: live locks
 * ({@code stigmergy_locks_held}), live intents holding files at each level ({@code stigmergy_intents{level="1".."4"}}),
 * files held at L4, which block every other agent ({@code stigmergy_files_blocked}), and pending unlock requests
 * ({@code stigmergy_unlock_requests_pending}). "Live" is the services' own rule: held and not past
 * {@code expiresAt}, whether or not a sweep has recorded the expiry.
 *
 * <p>One read-only statement over the hold tables, a reporting query beside the owners' services rather than a
 * rule: it decides nothing.
 */
@ApplicationScoped
public class HoldGauges {

    static final long CACHE_MILLIS = 5_000;

    private static final String COUNTS = """
            select (select count(*) from entity_lock where holder is not null and expires_at > ?),
                   (select count(distinct f.intent_id) filter (where f.level = 1) from intent_file f join intent i on i.id = f.intent_id
                     where i.status = 'ACTIVE' and i.expires_at > ? and f.status = 'HELD'),
                   (select count(distinct f.intent_id) filter (where f.level = 2) from intent_file f join intent i on i.id = f.intent_id
                     where i.status = 'ACTIVE' and i.expires_at > ? and f.status = 'HELD'),
                   (select count(distinct f.intent_id) filter (where f.level = 3) from intent_file f join intent i on i.id = f.intent_id
                     where i.status = 'ACTIVE' and i.expires_at > ? and f.status = 'HELD'),
                   (select count(distinct f.intent_id) filter (where f.level = 4) from intent_file f join intent i on i.id = f.intent_id
                     where i.status = 'ACTIVE' and i.expires_at > ? and f.status = 'HELD'),
                   (select count(*) from intent_file f join intent i on i.id = f.intent_id
                     where i.status = 'ACTIVE' and i.expires_at > ? and f.status = 'HELD' and f.level = 4),
                   (select count(*) from unlock_request where status = 'PENDING' and expires_at > ?)""";

    /** One reading of every gauge. */
    record Counts(long locks, long[] intentsByLevel, long filesBlocked, long unlockRequestsPending) {
    }

    private final Sql sql;
    private final Clock clock;
    private volatile Counts last;
    private volatile long readAtMillis;

    public HoldGauges(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    void register(@Observes StartupEvent started, MeterRegistry metrics) {
        Gauge.builder("stigmergy.locks.held", this, g -> g.counts().locks())
                .description("Live locks, all replicas").register(metrics);
        for (int level = 1; level <= 4; level++) {
            int l = level;
            Gauge.builder("stigmergy.intents", this, g -> g.counts().intentsByLevel()[l - 1]).tag("level", Integer.toString(level))
                    .description("Live intents holding files at this level, all replicas").register(metrics);
        }
        Gauge.builder("stigmergy.files.blocked", this, g -> g.counts().filesBlocked())
                .description("Files held at L4 by live intents, all replicas").register(metrics);
        Gauge.builder("stigmergy.unlock.requests.pending", this, g -> g.counts().unlockRequestsPending())
                .description("Pending unlock requests not past their expiry, all replicas").register(metrics);
    }

    /** The counts, read at most every {@code CACHE_MILLIS}. */
    synchronized Counts counts() {
        long nowMillis = System.currentTimeMillis();
        if (last == null || nowMillis - readAtMillis >= CACHE_MILLIS) {
            last = read();
            readAtMillis = nowMillis;
        }
        return last;
    }

    /** Reads now, bypassing the cache (tests). */
    synchronized Counts refresh() {
        readAtMillis = 0;
        last = null;
        return counts();
    }

    private Counts read() {
        Instant now = clock.instant();
        return sql.oneRow(COUNTS, r -> new Counts(r.getLong(1), new long[]{r.getLong(2), r.getLong(3), r.getLong(4), r.getLong(5)},
                r.getLong(6), r.getLong(7)), now, now, now, now, now, now, now);
    }
}
