package dev.stigmergy.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

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
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
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
