package dev.stigmergy.event;

import java.util.concurrent.TimeUnit;

/**
 * A named daemon thread running one loop from startup to shutdown, for the event capability's connections to
 * PostgreSQL ({@link EventNotificationListener}, {@link EventNotifier}); the loop runs while {@link #running()}.
 */
final class BackgroundLoop {

    private final String name;
    private final Runnable body;
    private final Runnable wake;
    private volatile boolean running;
    private Thread thread;

    /** @param wake wakes the loop where it waits on a monitor of its own (run at stop), or a no-op */
    BackgroundLoop(String name, Runnable body, Runnable wake) {
        this.name = name;
        this.body = body;
        this.wake = wake;
    }

    void start() {
        running = true;
        thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the loop to end, wakes it, and waits up to 5 s for it. */
    void stop() {
        running = false;
        wake.run();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean running() {
        return running;
    }

    /** The loop's wait before it tries a failed connection again; an interrupt ends the loop. */
    void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
