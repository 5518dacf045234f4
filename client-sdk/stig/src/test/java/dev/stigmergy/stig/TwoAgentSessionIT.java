package dev.stigmergy.stig;

import dev.stigmergy.client.LiveService;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.RegisterAgent;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scripted session of issue 26: two agents in one scratch repository (one working tree each), driven only by
 * agent-host hook events. The second is blocked on the first's lines and allowed on other lines of the same file;
 * both commits then pass {@code stig verify} and the pre-commit hook {@code stig install-hooks} wrote, because
 * verification judges staged hunks against held line ranges by the rule intents are declared by.
 */
class TwoAgentSessionIT {

    @Test
    void twoAgentsEditOneFileOnDifferentLinesAndBothCommit() throws Exception {
        LiveService service = LiveService.shared();
        StigmergyClient admin = service.admin();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Path home = Files.createDirectories(Path.of("target", "two-agents", run).toAbsolutePath());
        Path treeA = Files.createDirectories(home.resolve("repo"));
        StigProcess.git(treeA, "init", "-q");
        Files.createDirectories(treeA.resolve("src"));
        Files.writeString(treeA.resolve("src/App.java"), StigIT.lines(1, 60));
        StigProcess.git(treeA, "add", "-A");
        StigProcess.git(treeA, "commit", "-q", "-m", "base");
        Path treeB = home.resolve("agent-b");
        StigProcess.git(treeA, "worktree", "add", "-q", "-b", "agent-b", treeB.toString());
        StigProcess.git(treeA, "checkout", "-q", "-b", "agent-a");

        String env = "two-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).repository(treeA.toString()));
        String alice = "two-alice-" + run;
        String aliceToken = admin.agents().registerAgent(new RegisterAgent().id(alice).displayName("A")
                .roles(List.of("worker"))).getToken();
        String bobToken = admin.agents().registerAgent(new RegisterAgent().id("two-bob-" + run).displayName("B")
                .roles(List.of("worker"))).getToken();
        Path launcher = Path.of(System.getProperty("stig.launcher", "../../bin/stig")).toAbsolutePath();
        Path jar = Path.of(System.getProperty("stig.jar", "target/stig.jar")).toAbsolutePath();
        StigProcess a = agent(home, treeA, service, env, aliceToken, launcher, jar);
        StigProcess b = agent(home, treeB, service, env, bobToken, launcher, jar);
        String sessionA = "two-a-" + run;
        String sessionB = "two-b-" + run;

        // A is about to edit lines 12-13; B then wants the same lines, and is blocked with A named
        assertEquals(0, a.runWithInput(HookIT.event("edit.json", treeA, home, sessionA), "hook", "pre-tool-use").exit());
        StigProcess.Result blocked = b.runWithInput(HookIT.event("edit.json", treeB, home, sessionB), "hook", "pre-tool-use");
        assertEquals(2, blocked.exit(), blocked::toString);
        assertTrue(blocked.err().contains(alice) && blocked.err().contains("lines 12-13"), blocked::toString);
        // ... and allowed on line 50 of the same file
        assertEquals(0, b.runWithInput(HookIT.event("edit-far.json", treeB, home, sessionB), "hook", "pre-tool-use").exit());

        // the tools run: each agent edits its lines, then both commit through the pre-commit hook
        assertEquals(0, a.run("install-hooks").exit());
        Files.writeString(treeA.resolve("src/App.java"),
                StigIT.lines(1, 60).replace("line 12\nline 13\n", "line twelve\nline thirteen\n"));
        Files.writeString(treeB.resolve("src/App.java"), StigIT.lines(1, 60).replace("line 50\n", "line fifty\n"));
        StigProcess.git(treeA, "add", "src/App.java");
        StigProcess.git(treeB, "add", "src/App.java");
        StigProcess.Result verifyA = a.run("verify");
        StigProcess.Result verifyB = b.run("verify");
        assertEquals(0, verifyA.exit(), verifyA::toString);
        assertEquals(0, verifyB.exit(), "B's hunk at line 50 is apart from A's lines 12-13: " + verifyB);
        assertEquals(0, commit(a, treeA, "A: lines 12-13"), "A's commit passes the pre-commit hook");
        assertEquals(0, commit(b, treeB, "B: line 50"), "B's commit passes the pre-commit hook");

        // had B touched A's lines, verify and the hook would refuse it, naming A
        Files.writeString(treeB.resolve("src/App.java"),
                StigIT.lines(1, 60).replace("line 50\n", "line fifty\n").replace("line 13\n", "line 13 by B\n"));
        StigProcess.git(treeB, "add", "src/App.java");
        StigProcess.Result refused = b.run("verify");
        assertEquals(3, refused.exit(), refused::toString);
        assertTrue(refused.err().contains(alice) && refused.err().contains("lines 12-13"), refused::toString);
        assertTrue(commit(b, treeB, "B: line 13") != 0, "the hook refuses it");

        // the sessions stop: their intents end, and the line is free
        assertEquals(0, a.runWithInput(HookIT.event("stop.json", treeA, home, sessionA), "hook", "stop").exit());
        assertEquals(0, b.run("verify").exit());
        assertEquals(0, b.runWithInput(HookIT.event("stop.json", treeB, home, sessionB), "hook", "stop").exit());
    }

    private static StigProcess agent(Path home, Path tree, LiveService service, String env, String token, Path launcher,
                                     Path jar) {
        return new StigProcess(home).in(tree).env("STIGMERGY_URL", service.url.toString()).env("STIGMERGY_TOKEN", token)
                .env("STIGMERGY_ENVIRONMENT", env).env("STIG_LAUNCHER", launcher.toString()).env("STIG_JAR", jar.toString());
    }

    /** {@code git commit} with the agent's environment, so the installed hook runs as that agent; its exit code. */
    private static int commit(StigProcess agent, Path tree, String message) {
        return agent.gitAs(tree, "commit", "-q", "-m", message);
    }
}
