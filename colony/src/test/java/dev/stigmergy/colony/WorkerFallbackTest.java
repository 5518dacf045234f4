package dev.stigmergy.colony;

import dev.stigmergy.client.ApiException;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker's fall back to the file-level order: a job the dependency DAG let run ahead of an earlier job whose lines
 * it rewrites meets git's merge conflict, links itself to that job, lets go and waits; after the earlier job it
 * integrates cleanly. A second conflict of the same job is a merge conflict. The scout's exact hunk-level DAG never
 * lets this happen on these histories, so the DAG here leaves the link out on purpose; the service is a recording
 * stand-in of the worker port, the git work real.
 */
class WorkerFallbackTest {

    /** The worker port as a recorder: every call granted. */
    static final class RecordingPort implements WorkerPort {
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** Entities that carry another worker's done mark. */
        final Set<String> doneElsewhere = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Whether another agent's live intent holds the lines of every declaration (409). */
        volatile boolean intentsRefused;

        @Override
        public List<Ready> ready(String environment, String kind, int limit) {
            return List.of();
        }

        @Override
        public boolean acquireLock(String entity, int leaseSeconds, String reason) {
            calls.add("acquire " + entity);
            return true;
        }

        @Override
        public void releaseLock(String entity) {
            calls.add("release " + entity);
        }

        @Override
        public Long declareIntent(String environment, String entity, List<Declared> files, String description, int priority,
                                  int leaseSeconds, String baseCommit) {
            calls.add("declare " + entity);
            return intentsRefused ? null : 1L;
        }

        @Override
        public void endIntent(long intentId, boolean completed) {
            calls.add(completed ? "complete" : "cancel");
        }

        @Override
        public void deposit(String entity, String type, double intensity, Map<String, Object> payload) {
            calls.add("deposit " + type + " " + entity);
        }

        @Override
        public List<Mark> sense(String entity) {
            return doneElsewhere.contains(entity) ? List.of(new Mark(1, Signals.DONE, Map.of("agent", "worker-2"))) : List.of();
        }

        @Override
        public Map<String, Double> ranked(String type, String environment, String kind, int limit) {
            return Map.of();
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void verdict(long pheromoneId, boolean approve, String trigger) {
        }

        @Override
        public void dependOn(String entity, String dependsOn) {
            calls.add("link " + entity + " -> " + dependsOn);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aJobThatRanAheadIntoAConflictWaitsForItsFileLevelPredecessorThenIntegrates(@TempDir Path dir) throws Exception {
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            Colony colony = colony(repo);
            List<Job> jobs = repo.jobs();
            Job root = jobs.get(0);
            Job version1 = jobs.get(1); // "Shared line 10, version 1"
            Job version2 = jobs.get(3); // rewrites the same lines again
            colony.publish(root, Set.of(), Set.of());
            colony.publish(version1, Set.of(0), Set.of(0));
            colony.publish(version2, Set.of(0), Set.of(0, 1)); // the link to version 1 missing: it may run ahead
            RecordingPort port = new RecordingPort();
            Worker worker = worker(colony, port);

            assertTrue(worker.take(root));
            assertFalse(worker.take(version2), "ran ahead into a conflict: not done");

            assertEquals(1, colony.fallbacks.get(), "fell back once");
            assertEquals(0, colony.conflicts.get(), "a fall-back is not a merge conflict");
            assertTrue(port.calls.contains("link " + version2.entity() + " -> " + version1.entity()),
                    "linked to the file-level predecessor it ran ahead of: " + port.calls);
            assertFalse(port.calls.contains("link " + version2.entity() + " -> " + root.entity()), "not to what it already waits for");
            assertTrue(port.calls.containsAll(List.of("cancel", "release " + version2.entity())), "let go: " + port.calls);
            assertFalse(port.calls.contains("deposit " + Signals.DONE + " " + version2.entity()), "not marked done");

            assertTrue(worker.take(version1));
            assertTrue(worker.take(version2), "after its predecessor it integrates");
            assertEquals(0, colony.conflicts.get());
        }
    }

    @Test
    void aSecondConflictOfAJobThatFellBackIsAMergeConflict(@TempDir Path dir) throws Exception {
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            Colony colony = colony(repo);
            List<Job> jobs = repo.jobs();
            colony.publish(jobs.get(0), Set.of(), Set.of());
            colony.publish(jobs.get(1), Set.of(0), Set.of(0));
            colony.publish(jobs.get(3), Set.of(0), Set.of(0, 1));
            Worker worker = worker(colony, new RecordingPort());
            assertTrue(worker.take(jobs.get(0)));

            assertFalse(worker.take(jobs.get(3)));
            assertFalse(worker.take(jobs.get(3)), "again before its predecessor");

            assertEquals(1, colony.fallbacks.get());
            assertEquals(1, colony.conflicts.get(), "the second conflict counts");
        }
    }

    @Test
    void aConflictOnAJobAnotherWorkerDidMeanwhileIsNeitherAFallBackNorAConflict(@TempDir Path dir) throws Exception {
        // a lease lapsed under load: another worker took the job and integrated it first, and this worker's own
        // application now conflicts; the done mark settles it
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            Colony colony = colony(repo);
            List<Job> jobs = repo.jobs();
            colony.publish(jobs.get(0), Set.of(), Set.of());
            colony.publish(jobs.get(3), Set.of(0), Set.of(0, 1));
            RecordingPort port = new RecordingPort();
            Worker worker = worker(colony, port);
            assertTrue(worker.take(jobs.get(0)));
            port.doneElsewhere.add(jobs.get(3).entity());

            assertFalse(worker.take(jobs.get(3)));

            assertEquals(0, colony.fallbacks.get());
            assertEquals(0, colony.conflicts.get());
            assertTrue(port.calls.containsAll(List.of("cancel", "release " + jobs.get(3).entity())), "let go: " + port.calls);
        }
    }

    @Test
    void aRefusedIntentEndsTheEditAtOnceAndNothingIsIntegrated(@TempDir Path dir) throws Exception {
        // the intent is declared while the worker thinks: its refusal must end an hour's edit when it is known, and
        // nothing may reach the integration branch without a granted intent
        OverlappingHistory.create(dir.resolve("source"));
        try (ReplayRepository repo = ReplayRepository.prepare(dir.resolve("source"), dir.resolve("scratch"), 100, "t")) {
            Colony colony = colony(repo, Duration.ofHours(1));
            Job root = repo.jobs().get(0);
            colony.publish(root, Set.of(), Set.of());
            RecordingPort port = new RecordingPort();
            port.intentsRefused = true;
            Worker worker = worker(colony, port);
            ObjectId head = repo.head();

            assertFalse(assertTimeoutPreemptively(Duration.ofMinutes(2), () -> worker.take(root)), "not this worker's job");

            assertEquals(List.of("acquire " + root.entity(), "declare " + root.entity(), "release " + root.entity()), port.calls);
            assertEquals(head, repo.head(), "nothing integrated");
        }
    }

    private static Colony colony(ReplayRepository repo) {
        return colony(repo, Duration.ZERO);
    }

    private static Colony colony(ReplayRepository repo, Duration think) {
        Colony.Settings settings = new Colony.Settings(Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofMinutes(1),
                0, 7, think, true);
        return new Colony(repo, "replay-test", settings, Executors.newSingleThreadScheduledExecutor(),
                new PrintStream(OutputStream.nullOutputStream()));
    }

    private static Worker worker(Colony colony, WorkerPort port) throws ApiException {
        // the medium is only the worker's name here: take() makes every call through the port
        return new Worker(colony, Medium.of(URI.create("http://127.0.0.1:9"), "worker-1", "no-token", "worker"), port, 0, 7);
    }
}
