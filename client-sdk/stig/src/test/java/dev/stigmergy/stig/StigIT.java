package dev.stigmergy.stig;

import dev.stigmergy.client.LiveService;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stigmergy.client.StigmergyClient;
import dev.stigmergy.client.model.CreateEnvironment;
import dev.stigmergy.client.model.PutEntity;
import dev.stigmergy.client.model.RegisterAgent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stig} run as a process against the packaged service: every command once, the exit codes, the
 * {@code --json} shapes, and a refused lock that names its holder.
 */
class StigIT {

    private static LiveService service;
    private static String run;
    private static Path repo;
    private static String env;
    private static String alice;
    private static String bob;
    private static String aliceToken;
    private static String bobToken;
    private static Path home;

    @BeforeAll
    static void start() throws Exception {
        service = LiveService.shared();
        run = UUID.randomUUID().toString().substring(0, 8);
        home = Files.createDirectories(Path.of("target", "stig-it", run).toAbsolutePath());
        repo = Files.createDirectories(home.resolve("repo"));
        StigProcess.git(repo, "init", "-q");
        Files.createDirectories(repo.resolve("src"));
        Files.writeString(repo.resolve("src/App.java"), lines(1, 60));
        StigProcess.git(repo, "add", "-A");
        StigProcess.git(repo, "commit", "-q", "-m", "base");
        StigProcess.git(repo, "checkout", "-q", "-b", "a");
        Files.writeString(repo.resolve("src/App.java"), lines(1, 60).replace("line 5\n", "line five\n"));
        StigProcess.git(repo, "commit", "-q", "-am", "a");
        StigProcess.git(repo, "checkout", "-q", "-b", "b", "main");
        Files.writeString(repo.resolve("src/App.java"), lines(1, 60).replace("line 50\n", "line fifty\n"));
        StigProcess.git(repo, "commit", "-q", "-am", "b");
        StigProcess.git(repo, "checkout", "-q", "main");

        StigmergyClient admin = service.admin();
        alice = "stig-alice-" + run;
        bob = "stig-bob-" + run;
        aliceToken = admin.agents().registerAgent(new RegisterAgent().id(alice).displayName("Alice").roles(List.of("worker"))).getToken();
        bobToken = admin.agents().registerAgent(new RegisterAgent().id(bob).displayName("Bob").roles(List.of("worker"))).getToken();
        env = "stig-" + run;
        admin.environments().createEnvironment(new CreateEnvironment().name(env).repository(repo.toString()));
        service.client(aliceToken).entities().putEntity("job", "J1-" + run, new PutEntity().environment(env).title("one"));
        service.client(bobToken).entities().putEntity("job", "J2-" + run, new PutEntity().environment(env).title("two"));
    }

    static String lines(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }

    private static StigProcess as(String token) {
        return new StigProcess(home).in(repo).env("STIGMERGY_URL", service.url.toString())
                .env("STIGMERGY_TOKEN", token).env("STIGMERGY_ENVIRONMENT", env);
    }

    private static StigProcess.Result ok(StigProcess.Result r) {
        assertEquals(0, r.exit(), r::toString);
        return r;
    }

    @Test
    void lockIsRefusedWithTheHolderNamedAndUnlockRequestsGoThrough() {
        String job = "job/J1-" + run;
        JsonNode grant = ok(as(aliceToken).run("lock", job, "--lease-seconds", "300", "--reason", "fixing", "--json")).json();
        assertEquals(alice, grant.path("holder").asText());
        assertTrue(grant.path("fencingToken").asLong() > 0, grant::toString);

        StigProcess.Result refused = as(bobToken).run("lock", job);
        assertEquals(3, refused.exit(), refused::toString);
        assertTrue(refused.err().contains(alice) && refused.err().contains("stig request-unlock " + job), refused::toString);
        StigProcess.Result refusedJson = as(bobToken).run("lock", job, "--json");
        assertEquals(3, refusedJson.exit(), refusedJson::toString);
        assertEquals(alice, refusedJson.json().path("hold").path("holder").asText(), "the problem names the holder");
        assertEquals(409, refusedJson.json().path("status").asInt());

        StigProcess.Result notHolder = as(bobToken).run("unlock", job);
        assertEquals(3, notHolder.exit(), notHolder::toString);

        JsonNode renewed = ok(as(aliceToken).run("renew", job, "--json")).json();
        assertEquals(grant.path("fencingToken").asLong(), renewed.path("fencingToken").asLong(), "same hold");

        JsonNode asked = ok(as(bobToken).run("request-unlock", job, "--reason", "hotfix", "--json")).json();
        assertEquals("PENDING", asked.path("status").asText());
        String status = ok(as(aliceToken).run("status")).out();
        assertTrue(status.contains(job) && status.contains(asked.path("id").asText()) && status.contains(bob), status);
        JsonNode statusJson = ok(as(aliceToken).run("status", "--json")).json();
        assertEquals(alice, statusJson.path("agent").asText());
        assertEquals(env, statusJson.path("environment").asText());
        assertTrue(statusJson.path("locks").isArray() && statusJson.path("heldFiles").isArray()
                && statusJson.path("blockedFiles").isArray() && statusJson.path("unlockRequestsToAnswer").size() == 1,
                statusJson::toString);

        assertEquals("REJECTED", ok(as(aliceToken).run("reject", asked.path("id").asText(), "--note", "soon", "--json"))
                .json().path("status").asText());
        JsonNode again = ok(as(bobToken).run("request-unlock", job, "--reason", "hotfix, really", "--json")).json();
        assertEquals("APPROVED", ok(as(aliceToken).run("approve", again.path("id").asText(), "--json")).json()
                .path("status").asText());
        StigProcess.Result gone = as(aliceToken).run("unlock", job);
        assertEquals(4, gone.exit(), "approval released the lock: " + gone);

        ok(as(aliceToken).run("lock", job));
        assertEquals(alice, ok(as(aliceToken).run("unlock", job, "--json")).json().path("holder").asText());
    }

    @Test
    void pheromonesAreDepositedSensedAndClaimedOnce() {
        String job = "job/J1-" + run;
        JsonNode deposited = ok(as(aliceToken).run("deposit", "workingonit", "--entity", job, "--intensity", "2", "--json")).json();
        assertEquals("workingonit", deposited.path("type").asText());
        long id = deposited.path("id").asLong();
        JsonNode sensed = ok(as(bobToken).run("sense", job, "--json")).json();
        assertTrue(sensed.path("pheromones").findValues("id").stream().anyMatch(v -> v.asLong() == id), sensed::toString);
        assertTrue(ok(as(bobToken).run("sense", job)).out().contains("workingonit"));
        assertTrue(ok(as(bobToken).run("sense", "--json")).json().has("aggregates"), "no entity: the role's slice");

        assertEquals(bob, ok(as(bobToken).run("claim", String.valueOf(id), "--lease-seconds", "120", "--json")).json()
                .path("holder").asText());
        StigProcess.Result second = as(aliceToken).run("claim", String.valueOf(id));
        assertEquals(3, second.exit(), second::toString);
    }

    @Test
    void intentsAreDeclaredCheckedListedAndEnded() {
        String job1 = "job/J1-" + run;
        String job2 = "job/J2-" + run;
        JsonNode declared = ok(as(aliceToken).run("intent", "declare", "src/App.java:10-20", "--entity", job1,
                "--description", "edit the middle", "--json")).json();
        long intent = declared.path("intent").path("id").asLong();
        assertEquals("granted", declared.path("files").get(0).path("outcome").asText());
        assertEquals(10, declared.path("intent").path("files").get(0).path("lineRanges").get(0).path("start").asInt());

        StigProcess.Result collides = as(bobToken).run("check", "src/App.java:12-14", "--entity", job2);
        assertEquals(3, collides.exit(), collides::toString);
        assertTrue(collides.out().contains(alice) && collides.out().contains("lines 10-20") && collides.out().contains("until"),
                collides::toString);
        StigProcess.Result twice = as(bobToken).run("check", "src/App.java:40-50", "src/App.java:12", "--entity", job2);
        assertEquals(3, twice.exit(), "ranges of one path given twice are checked together: " + twice);
        StigProcess.Result free = ok(as(bobToken).run("check", "src/App.java:40-50", "--entity", job2));
        assertTrue(free.out().startsWith("free"), free::toString);
        assertEquals("granted", ok(as(bobToken).run("check", "src/Other.java", "--entity", job2, "--json")).json()
                .path("files").get(0).path("outcome").asText());

        StigProcess.Result denied = as(bobToken).run("intent", "declare", "src/App.java:15-16", "--entity", job2);
        assertEquals(3, denied.exit(), denied::toString);
        assertTrue(denied.err().contains(alice) && denied.err().contains("intent " + intent), denied::toString);
        StigProcess.Result deniedJson = as(bobToken).run("intent", "declare", "src/App.java:15-16", "--entity", job2, "--json");
        assertEquals(3, deniedJson.exit());
        assertEquals("denied", deniedJson.json().path("decision").path("files").get(0).path("outcome").asText());

        JsonNode asked = ok(as(bobToken).run("request-unlock", "--intent", String.valueOf(intent), "--reason", "lines 15-16",
                "--json")).json();
        assertEquals("intent", asked.path("holdKind").asText());

        JsonNode mine = ok(as(aliceToken).run("intent", "list", "--mine", "--json")).json();
        assertTrue(mine.findValues("id").stream().anyMatch(v -> v.asLong() == intent), mine::toString);
        assertTrue(ok(as(aliceToken).run("intent", "list")).out().contains("src/App.java L3 lines 10-20"));

        JsonNode beat = ok(as(aliceToken).run("heartbeat", "--json")).json();
        assertTrue(beat.path("renewed").findValues("id").stream().anyMatch(v -> v.asText().equals(String.valueOf(intent))),
                beat::toString);

        assertEquals("COMPLETED", ok(as(aliceToken).run("intent", "complete", String.valueOf(intent), "--json")).json()
                .path("status").asText());
        long other = ok(as(aliceToken).run("intent", "declare", "src/Util.java", "--entity", job1, "--json")).json()
                .path("intent").path("id").asLong();
        assertEquals("CANCELLED", ok(as(aliceToken).run("intent", "cancel", String.valueOf(other), "--json")).json()
                .path("status").asText());
        StigProcess.Result missing = as(aliceToken).run("intent", "complete", "987654321");
        assertEquals(4, missing.exit(), missing::toString);
    }

    @Test
    void overlapsVerifyAndHooksReadTheRepository() throws Exception {
        JsonNode overlaps = ok(as(aliceToken).run("overlaps", "a", "b", "--json")).json();
        assertEquals("src/App.java", overlaps.path("pairs").get(0).path("files").get(0).path("basePath").asText());
        assertTrue(ok(as(aliceToken).run("overlaps", "a", "b")).out().contains("src/App.java"));

        Path clone = home.resolve("verify-" + UUID.randomUUID().toString().substring(0, 6));
        StigProcess.git(home, "clone", "-q", repo.toString(), clone.toString());
        JsonNode held = ok(as(aliceToken).run("intent", "declare", "src/Held.java", "--entity", "job/J1-" + run, "--json")).json();
        Files.writeString(clone.resolve("src/Held.java"), "class Held {}\n");
        StigProcess.git(clone, "add", "src/Held.java");
        StigProcess.Result refused = as(bobToken).in(clone).run("verify");
        assertEquals(3, refused.exit(), refused::toString);
        assertTrue(refused.err().contains(alice) && refused.err().contains("src/Held.java"), refused::toString);
        JsonNode own = ok(as(aliceToken).in(clone).run("verify", "--json")).json();
        assertTrue(own.path("ok").asBoolean(), own::toString);

        ok(as(bobToken).in(clone).run("install-hooks"));
        Path hook = clone.resolve(".git/hooks/pre-commit");
        assertTrue(Files.isExecutable(hook) && Files.readString(hook).contains("verify"), "pre-commit installed");
        assertTrue(Files.readString(clone.resolve(".git/hooks/pre-push")).contains("verify --pre-push"));
        ok(as(aliceToken).run("intent", "complete", held.path("intent").path("id").asText()));
    }

    @Test
    void configurationAndFailuresHaveTheirExitCodes() throws Exception {
        StigProcess.Result noToken = as(null).env("STIGMERGY_TOKEN", null).run("heartbeat");
        assertEquals(2, noToken.exit(), noToken::toString);
        assertTrue(noToken.err().contains("STIGMERGY_TOKEN"));

        Path tokenFile = home.resolve("token-" + UUID.randomUUID());
        Files.writeString(tokenFile, aliceToken + "\n");
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-r--r--"));
        StigProcess.Result open = as(null).env("STIGMERGY_TOKEN", null).env("STIGMERGY_TOKEN_FILE", tokenFile.toString())
                .run("heartbeat");
        assertEquals(2, open.exit(), "a token file others can read is refused: " + open);
        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
        assertEquals(alice, ok(as(null).env("STIGMERGY_TOKEN", null).env("STIGMERGY_TOKEN_FILE", tokenFile.toString())
                .run("heartbeat", "--json")).json().path("agent").asText());

        Path otherHome = Files.createDirectories(home.resolve("home-" + UUID.randomUUID()).resolve(".stigmergy")).getParent();
        Path defaultFile = otherHome.resolve(".stigmergy/token");
        Files.writeString(defaultFile, aliceToken + "\n");
        Files.setPosixFilePermissions(defaultFile, PosixFilePermissions.fromString("rw-------"));
        assertEquals(alice, ok(as(null).env("STIGMERGY_TOKEN", null).env("HOME", otherHome.toString())
                .run("heartbeat", "--json")).json().path("agent").asText(), "the default token file is under $HOME");

        StigProcess.Result badToken = as("stg_not-a-token").run("heartbeat");
        assertEquals(1, badToken.exit(), badToken::toString);

        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        StigProcess.Result down = as(aliceToken).env("STIGMERGY_URL", "http://127.0.0.1:" + closed).run("status");
        assertEquals(5, down.exit(), down::toString);

        StigProcess.Result usage = as(aliceToken).run("lock", "--lease-seconds", "many");
        assertEquals(2, usage.exit(), usage::toString);

        Path dotted = Files.createDirectories(home.resolve("dotted-" + UUID.randomUUID()));
        StigProcess.git(dotted, "init", "-q");
        Files.writeString(dotted.resolve(".stigmergy"), "url=" + service.url + "\nenvironment=" + env + "\n");
        JsonNode fromFile = ok(as(aliceToken).env("STIGMERGY_URL", null).env("STIGMERGY_ENVIRONMENT", null).in(dotted)
                .run("status", "--json")).json();
        assertEquals(env, fromFile.path("environment").asText(), "URL and environment from .stigmergy");

        StigProcess.Result completion = ok(as(aliceToken).run("generate-completion"));
        assertTrue(completion.out().contains("complete -F"), "bash completion script");
    }
}
