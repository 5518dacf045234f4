package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import dev.stigmergy.client.model.AddDependency;
import dev.stigmergy.client.model.PutEntity;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The scout: publishes the jobs oldest first, each as soon as its own dependencies are known (a few calls in flight),
 * while the workers already work. Publishing a job is: its entity, a {@code depends-on} link to each earlier job it must
 * follow (so that the service's ready query holds it back until those are done), then its {@code importance}
 * (older jobs more), which is the publication mark: workers take only jobs that carry it, since a job the ready
 * query showed between its entity and its links would look ready too early.
 *
 * <p>The dependencies come from {@link ChangeScan}: one tree diff per commit for the changed paths, line hunks only
 * on paths several commits change. At file level a shared path orders two jobs; at hunk level (the default) only
 * hunks closer than the service's context margin do. Hunk level is exact in what it lets run together; when git's
 * merge still disagrees (it may align a diff differently than history did), the worker falls back to the
 * file-level order ({@link Worker}).
 */
final class Scout implements Callable<Void> {

    private final Colony colony;
    private final Medium medium;

    Scout(Colony colony, Medium medium) {
        this.colony = colony;
        this.medium = medium;
    }

    @Override
    public Void call() throws ApiException, IOException, InterruptedException {
        Instant began = Instant.now();
        ChangeScan scan = colony.repo.scan();
        Duration scanned = Duration.between(began, Instant.now());
        int n = scan.size();
        int links = 0;
        int fileLinks = 0;
        // a few calls in flight: a job's links wait only for the entities they name, oldest jobs first
        ExecutorService calls = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            List<CompletableFuture<Void>> created = new ArrayList<>();
            List<CompletableFuture<Void>> published = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Job job = scan.job(i);
                Set<Integer> fileLevel = scan.fileLevel(i);
                Set<Integer> waitsFor = colony.settings.hunkLevel() ? scan.hunkLevel(i) : fileLevel;
                links += waitsFor.size();
                fileLinks += fileLevel.size();
                double importance = 1 + 9.0 * (n - 1 - i) / Math.max(1, n - 1);
                if (i == 0) {
                    // the oldest job waits for nothing: published alone, before any other call competes with it on
                    // a service that may have just started (its first calls are its slowest)
                    medium.entities().putEntity("job", job.key(), new PutEntity().environment(colony.environment).title(job.subject()));
                    colony.publish(job, waitsFor, fileLevel);
                    Colony.deposit(medium, job, Signals.IMPORTANCE, importance, Map.of("commit", job.commit().name()));
                    colony.published(job);
                    created.add(CompletableFuture.completedFuture(null));
                    continue;
                }
                created.add(CompletableFuture.runAsync(call(() -> medium.entities().putEntity("job", job.key(),
                        new PutEntity().environment(colony.environment).title(job.subject()))), calls));
                List<CompletableFuture<Void>> before = new ArrayList<>(List.of(created.get(i)));
                List<String> targets = new ArrayList<>();
                for (int earlier : waitsFor) {
                    before.add(created.get(earlier));
                    targets.add(scan.job(earlier).entity());
                }
                // run by the thread that created its last entity, at once: queued behind the entities of all later jobs,
                // the first job would wait for them
                published.add(CompletableFuture.allOf(before.toArray(CompletableFuture[]::new)).thenRun(call(() -> {
                    for (String target : targets) {
                        medium.dependencies().addDependency("job", job.key(), new AddDependency().dependsOn(target));
                    }
                    colony.publish(job, waitsFor, fileLevel);
                    Colony.deposit(medium, job, Signals.IMPORTANCE, importance, Map.of("commit", job.commit().name()));
                    colony.published(job);
                })));
            }
            CompletableFuture.allOf(published.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof ApiException api) {
                throw api;
            }
            throw e;
        } finally {
            calls.shutdownNow();
        }
        colony.scoutDone = Instant.now();
        colony.scoutLinks(links, fileLinks);
        colony.progress(String.format("scout  %s: %d jobs published in %d ms (tree diffs %d ms); %d depends-on links at %s level, "
                        + "%d at file level", medium.agentId(), n, Duration.between(began, colony.scoutDone).toMillis(),
                scanned.toMillis(), links, colony.settings.hunkLevel() ? "hunk" : "file", fileLinks));
        return null;
    }

    private static final int PUBLISHERS = 4;

    @FunctionalInterface
    private interface Call {
        void run() throws ApiException;
    }

    private static Runnable call(Call call) {
        return () -> {
            try {
                call.run();
            } catch (ApiException e) {
                throw new CompletionException(e);
            }
        };
    }
}
