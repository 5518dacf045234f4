package dev.stigmergy.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;

/**
 * The one clock of the service. Services read {@code clock.instant()} once per operation and pass that
 * {@code now} down, so expiry and decay are decided against a single instant; tests replace this bean
 * with a mutable clock instead of sleeping. It ticks in microseconds, PostgreSQL's precision, and services rely on
 * it: none truncates what it reads, so a replacement must tick in whole microseconds too.
 */
@ApplicationScoped
public class ClockProducer {

    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        // PostgreSQL keeps microseconds: ticking in microseconds makes an instant read back equal to the
        // one written, so lease comparisons in Java and in SQL agree
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
