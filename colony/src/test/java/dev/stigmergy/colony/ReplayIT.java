package dev.stigmergy.colony;

import dev.stigmergy.testing.ServiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay colony against a live service (the packaged jar on the test database): the coordinated replay
 * reaches the tip's tree with no conflict even when a worker dies mid-job, and the uncoordinated baseline
 * conflicts, on a repository with overlapping history and on this repository's own history.
 */
class ReplayIT {

    private static final Path WORK = Path.of("target", "colony-it");
    private static ServiceProcess service;
    private static Path overlapping;
    private static int overlappingCommits;

    @BeforeAll
    static void start() throws Exception {
        service = ServiceProcess.onTestDatabase(WORK);
        overlapping = WORK.resolve("repos").resolve(UUID.randomUUID().toString());
        overlappingCommits = OverlappingHistory.create(overlapping);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void coordinatedReplayOfOverlappingHistoryHasNoConflictAndEndsOnTheTipsTreeAfterAWorkerDies() throws Exception {
        ReplaySummary summary = replay(overlapping, 40, 4, true, 2);

        assertEquals(overlappingCommits, summary.jobs());
        assertEquals(summary.jobs(), summary.done(), "every job integrated");
        assertEquals(0, summary.conflicts(), "no merge conflict");
        assertTrue(summary.identical(), "final tree identical to the tip's");
        assertEquals(summary.jobs(), summary.approved(), "the validator approved every job");
        assertNotNull(summary.killed(), "a worker died mid-job");
        assertNotNull(summary.killedJobFinishedBy(), "its job was finished");
        assertNotEquals(summary.killed().agent(), summary.killedJobFinishedBy(), "by another worker");
        assertEquals(2, summary.perAgent().get(summary.killed().agent()), "the dead worker did its two jobs only");
    }

    @Test
    void workersCoordinatingThroughMcpToolCallsReplayOverlappingHistoryWithNoConflictToTheTipsTree() throws Exception {
        ReplaySummary summary = replay(overlapping, 40, 4, true, 2, Duration.ZERO, WorkerPort.Via.MCP);

        assertEquals(overlappingCommits, summary.jobs());
        assertEquals(summary.jobs(), summary.done(), "every job integrated");
        assertEquals(0, summary.conflicts(), "no merge conflict");
        assertTrue(summary.identical(), "final tree identical to the tip's");
        assertEquals(summary.jobs(), summary.approved(), "the validator approved every job, by give_verdict");
        assertNotNull(summary.killed(), "a worker died mid-job");
        assertNotEquals(summary.killed().agent(), summary.killedJobFinishedBy(), "its job was finished by another worker");
        // per job at least ready_work, acquire_lock, declare_intent, deposit_pheromone, complete_intent, release_lock
        assertTrue(summary.mcpToolCalls() >= 6L * summary.jobs(), "the workers' calls went to /mcp: " + summary.mcpToolCalls());
    }

    @Test
    void eightThinkingWorkersReplayAGeneratedHistoryAlongItsKnownDagWithNoConflictToTheTipsTree() throws Exception {
        Path generated = WORK.resolve("repos").resolve(UUID.randomUUID().toString());
        Map<Integer, Set<Integer>> known = GeneratedHistory.create(generated, 24);

        ReplaySummary summary = replay(generated, 40, 8, true, 1, Duration.ofMillis(300));

        assertEquals(25, summary.jobs());
        assertEquals(summary.jobs(), summary.done(), "every job integrated");
        assertEquals(0, summary.conflicts(), "no merge conflict");
        assertTrue(summary.identical(), "final tree identical to the tip's");
        assertEquals(summary.jobs(), summary.approved(), "the validator approved every job");
        assertNotNull(summary.killed(), "a worker died mid-job");
        assertNotEquals(summary.killed().agent(), summary.killedJobFinishedBy(), "its job was finished by another worker");
        assertEquals(known, summary.scout().dag(), "the scout recorded the known hunk-level DAG");
        assertEquals(24, summary.scout().fileLinks(), "file level: a chain");
        ScheduleBounds b = summary.bounds();
        assertTrue(b.criticalPath().compareTo(summary.scout().fileLevelCriticalPath()) < 0, "hunk level shortens the critical path");
        assertTrue(b.listSchedule().compareTo(b.criticalPath()) >= 0, "no schedule beats the critical path");
        assertTrue(summary.wall().compareTo(b.listSchedule()) > 0, "overhead-free is a bound: " + summary.wall());
        assertTrue(summary.efficiency() > 0 && summary.efficiency() < 1, "efficiency reported: " + summary.efficiency());
    }

    @Test
    void uncoordinatedBaselineOnOverlappingHistoryMeetsConflicts() throws Exception {
        ReplaySummary summary = replay(overlapping, 40, 4, false, 0);

        assertEquals(overlappingCommits, summary.jobs());
        assertTrue(summary.conflicts() >= 1, "conflicts met: " + summary.conflicts());
    }

    @Test
    void theCommandReplaysThisRepositorysOwnHistoryWithNoConflictToTheTipsTree() throws Exception {
        Path self = Path.of(System.getProperty("colony.repository", ".."));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(bytes), true, StandardCharsets.UTF_8);

        int exit = new picocli.CommandLine(new ColonyCommand(out)).execute("--url", service.url(),
                "--admin-token", service.adminToken, "--repo", self.toString(), "--commits", "40", "--workers", "8",
                "--think-ms", "200", "--lease-seconds", "5", "--kill-worker-after", "3", "--poll-millis", "300",
                "--scratch", Files.createDirectories(WORK.resolve("scratch")).toString());
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertEquals(0, exit, printed);
        assertTrue(printed.contains("merge conflicts  0"), printed);
        assertTrue(printed.contains("final tree       IDENTICAL to the tip"), printed);
        assertTrue(printed.matches("(?s).*killed worker    \\S+ died holding \\S+; finished by worker-.*"), printed);
        assertTrue(printed.contains("(already running; left as it was)"), printed);
        for (String line : List.of("critical path    ", "bound, 8 workers ", "sequential       ", "efficiency       ", "waited           ")) {
            assertTrue(printed.contains(line), line + " in\n" + printed);
        }
    }

    @Test
    void theCommandReplaysAHistoryItGeneratesAlongItsKnownDag() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new TeeStream(bytes), true, StandardCharsets.UTF_8);

        int exit = new picocli.CommandLine(new ColonyCommand(out)).execute("--url", service.url(),
                "--admin-token", service.adminToken, "--generate", "12", "--workers", "4", "--think-ms", "100",
                "--lease-seconds", "5", "--poll-millis", "300", "--json",
                "--scratch", Files.createDirectories(WORK.resolve("scratch")).toString());
        com.fasterxml.jackson.databind.JsonNode summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes.toString(StandardCharsets.UTF_8));

        assertEquals(0, exit, summary.toString());
        assertEquals(13, summary.get("jobs").asInt(), "the root and 12 edits");
        assertEquals(13, summary.get("done").asInt());
        assertEquals(0, summary.get("conflicts").asInt());
        assertTrue(summary.get("identical").asBoolean(), "final tree identical to the generated tip's");
        assertEquals(12, summary.get("scout").get("links").asInt(), "each edit follows its block's previous writer or the root");
        assertEquals(12, summary.get("scout").get("fileLevelLinks").asInt(), "file level: a chain");
        assertTrue(summary.get("scout").get("fromProcessStart").get("firstReadySeconds").asDouble() > 0, "start-up reported");
    }

    private static ReplaySummary replay(Path repo, int commits, int workers, boolean coordinated, int killAfter) throws Exception {
        return replay(repo, commits, workers, coordinated, killAfter, Duration.ZERO);
    }

    private static ReplaySummary replay(Path repo, int commits, int workers, boolean coordinated, int killAfter, Duration think)
            throws Exception {
        return replay(repo, commits, workers, coordinated, killAfter, think, WorkerPort.Via.REST);
    }

    private static ReplaySummary replay(Path repo, int commits, int workers, boolean coordinated, int killAfter, Duration think,
                                        WorkerPort.Via via) throws Exception {
        Colony.Settings settings = new Colony.Settings(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMinutes(5),
                killAfter, 7, think, true);
        Path scratch = Files.createDirectories(WORK.resolve("scratch"));
        ReplaySummary summary = Replay.run(new Replay.Plan(service.uri(), service.adminToken, repo, scratch, commits, workers,
                coordinated, settings, via), System.out);
        summary.print(System.out);
        return summary;
    }

    /** Prints to the test's output too, so a failing run's progress is in the report. */
    private static final class TeeStream extends java.io.OutputStream {
        private final ByteArrayOutputStream copy;

        TeeStream(ByteArrayOutputStream copy) {
            this.copy = copy;
        }

        @Override
        public void write(int b) {
            copy.write(b);
            System.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            copy.write(b, off, len);
            System.out.write(b, off, len);
        }
    }
}
