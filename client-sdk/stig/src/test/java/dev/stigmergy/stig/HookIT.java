package dev.stigmergy.stig;

import dev.stigmergy.client.LiveService;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.IntentView;
import dev.stigmergy.client.model.LineRange;
import dev.stigmergy.client.model.RegisterAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stig hook} fed recorded tool-use events of an agent host (src/test/resources/hook-events/), as a process
 * against the packaged service: the intents it declares, its exit codes and the reason it gives when it blocks.
 */
class HookIT {

    private static LiveService service;
    private static StigmergyClient admin;
    private static Path home;
    private static Path repo;
    private static String env;
    private static String aliceToken;
    private static String bobToken;
    private static String alice;

    @BeforeAll
    static void start() throws Exception {
        service = LiveService.shared();
        admin = service.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        home = Files.createDirectories(Path.of("target", "hook-it", run).toAbsolutePath());
        repo = Files.createDirectories(home.resolve("repo"));
        StigProcess.git(repo, "init", "-q");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/App.java"), StigIT.lines(1, 60));
        StigProcess.git(repo, "add", "-A");
        StigProcess.git(repo, "commit", "-q", "-m", "base");
        alice = "hook-alice-" + run;
        aliceToken = admin.agents().registerAgent(new RegisterAgent().id(alice).displayName("A").roles(List.of("worker"))).getToken();
        bobToken = admin.agents().registerAgent(new RegisterAgent().id("hook-bob-" + run).displayName("B")
                .roles(List.of("worker"))).getToken();
        env = "hook-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).repository(repo.toString()));
    }

    /** A recorded event with this run's repository, home and session filled in. */
    static String event(String name, Path repo, Path home, String session) throws IOException {
        try (InputStream in = HookIT.class.getResourceAsStream("/hook-events/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@REPO@", repo.toString()).replace("@HOME@", home.toString()).replace("@SESSION@", session);
        }
    }

    private StigProcess.Result hook(String token, String hookEvent, String recorded, String session) throws IOException {
        return new StigProcess(home).in(repo).env("STIGMERGY_URL", service.url.toString()).env("STIGMERGY_TOKEN", token)
                .env("STIGMERGY_ENVIRONMENT", env).runWithInput(event(recorded, repo, home, session), "hook", hookEvent);
    }

    private List<IntentView> active(String session) throws Exception {
        return admin.intents().listIntents(env, null, "job/session-" + session, 100, null, "ACTIVE");
    }

    private static List<List<Integer>> ranges(IntentView intent) {
        List<LineRange> ranges = intent.getFiles().get(0).getLineRanges();
        return ranges == null ? List.of() : ranges.stream().map(r -> List.of(r.getStart(), r.getEnd())).toList();
    }

    @Test
    void editsDeclareLineRangesAndAnotherSessionIsBlockedOnlyOnThoseLines() throws Exception {
        String a = "sess-a-" + UUID.randomUUID();
        String b = "sess-b-" + UUID.randomUUID();

        assertEquals(0, hook(aliceToken, "pre-tool-use", "edit.json", a).exit());
        List<IntentView> declared = active(a);
        assertEquals(1, declared.size(), declared::toString);
        assertEquals(alice, declared.get(0).getAgent());
        assertEquals("src/App.java", declared.get(0).getFiles().get(0).getPath());
        assertEquals(3, declared.get(0).getFiles().get(0).getLevel());
        assertEquals(List.of(List.of(12, 13)), ranges(declared.get(0)), "the lines old_string spans");

        StigProcess.Result again = hook(aliceToken, "pre-tool-use", "edit.json", a);
        assertEquals(0, again.exit(), again::toString);
        assertEquals(1, active(a).size(), "the same edit renews the intent instead of declaring another");

        assertEquals(0, hook(aliceToken, "pre-tool-use", "multi-edit.json", a).exit());
        IntentView multi = active(a).stream().filter(i -> !i.getId().equals(declared.get(0).getId())).findFirst().orElseThrow();
        assertEquals(List.of(List.of(30, 30), List.of(33, 34)), ranges(multi), "one range per edit of edits[]");

        assertEquals(0, hook(aliceToken, "pre-tool-use", "write.json", a).exit());
        IntentView written = active(a).stream().filter(i -> i.getFiles().get(0).getPath().equals("src/New.java"))
                .findFirst().orElseThrow();
        assertEquals(List.of(), ranges(written), "a write holds the whole file");

        StigProcess.Result blocked = hook(bobToken, "pre-tool-use", "edit.json", b);
        assertEquals(2, blocked.exit(), "exit 2 blocks the tool call: " + blocked);
        long held = declared.get(0).getId();
        assertTrue(blocked.err().contains(alice) && blocked.err().contains("lines 12-13") && blocked.err().contains("until")
                && blocked.err().contains("stig request-unlock --intent " + held), blocked::toString);
        assertEquals(List.of(), active(b), "nothing declared for the blocked session");

        StigProcess.Result elsewhere = hook(bobToken, "pre-tool-use", "edit-far.json", b);
        assertEquals(0, elsewhere.exit(), "other lines of the same file are free: " + elsewhere);
        assertEquals(List.of(List.of(50, 50)), ranges(active(b).get(0)));

        assertEquals(0, hook(aliceToken, "post-tool-use", "post-edit.json", a).exit(), "post-tool-use heartbeats");

        StigProcess.Result stop = hook(aliceToken, "stop", "stop.json", a);
        assertEquals(0, stop.exit(), stop::toString);
        assertEquals(List.of(), active(a), "stop completes the session's intents");
        assertEquals(0, hook(bobToken, "pre-tool-use", "edit.json", b).exit(), "free once the first session stopped");
        assertEquals(0, hook(bobToken, "session-end", "session-end.json", b).exit());
        assertEquals(List.of(), active(b), "session-end completes them too");
    }

    @Test
    void readsPassThroughWithoutConfigurationOrCalls() throws Exception {
        String session = "sess-r-" + UUID.randomUUID();
        // no token, no URL, no environment: a read-only tool must not need them
        StigProcess.Result read = new StigProcess(home).in(repo).runWithInput(event("read.json", repo, home, session),
                "hook", "pre-tool-use");
        assertEquals(0, read.exit(), read::toString);
        assertEquals("", read.err());
        assertEquals(0, hook(aliceToken, "post-tool-use", "read.json", session).exit());
        assertEquals(List.of(), active(session));
    }

    @Test
    void theLauncherPassesReadsThroughWithoutStartingJava() throws Exception {
        Path launcher = Path.of(System.getProperty("stig.launcher", "../../bin/stig")).toAbsolutePath();
        for (String tool : List.of("Read", "Grep", "Glob", "Bash")) {
            String event = event("read.json", repo, home, "sess-l").replace("\"Read\"", "\"" + tool + "\"");
            // a jar that does not exist: any start of stig would fail with exit 2
            Process process = launch(launcher);
            process.getOutputStream().write(event.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.waitFor(), tool + " passes through: " + output);
        }
        Process edit = launch(launcher);
        edit.getOutputStream().write(event("edit.json", repo, home, "sess-l").getBytes(StandardCharsets.UTF_8));
        edit.getOutputStream().close();
        String output = new String(edit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, edit.waitFor(), "an edit reaches stig (here: the missing jar): " + output);
        assertTrue(output.contains("is missing"), output);
    }

    private static Process launch(Path launcher) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("sh", launcher.toString(), "hook", "pre-tool-use").redirectErrorStream(true);
        builder.environment().put("STIG_JAR", home.resolve("no-such-stig.jar").toString());
        return builder.start();
    }

    @Test
    void aPathOutsideTheRepositoryIsNotCoordinated() throws Exception {
        String session = "sess-o-" + UUID.randomUUID();
        StigProcess.Result outside = hook(aliceToken, "pre-tool-use", "outside.json", session);
        assertEquals(0, outside.exit(), outside::toString);
        assertEquals(List.of(), active(session));
    }

    @Test
    void aMalformedEventIsRefusedWithItsReason() throws Exception {
        StigProcess.Result malformed = hook(aliceToken, "pre-tool-use", "malformed.json", "sess-m");
        assertEquals(2, malformed.exit(), malformed::toString);
        assertTrue(malformed.err().contains("malformed hook event"), malformed::toString);
        StigProcess.Result unknown = hook(aliceToken, "before-lunch", "read.json", "sess-m");
        assertEquals(2, unknown.exit(), "an unknown hook event name is a usage error: " + unknown);
    }
}
