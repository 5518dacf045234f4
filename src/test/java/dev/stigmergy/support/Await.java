package dev.stigmergy.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** A bounded poll: tests wait for a condition, never for a fixed time. */
public final class Await {

    private Await() {
    }

    /**
     * Polls {@code condition} every {@code interval} until it holds.
     *
     * @throws AssertionError it did not hold within {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, Duration interval, String what) {
        until(condition, timeout, interval, () -> what);
    }

    /** As {@link #until(BooleanSupplier, Duration, Duration, String)}, describing the failure when it happens. */
    public static void until(BooleanSupplier condition, Duration timeout, Duration interval, Supplier<String> what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what.get());
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
