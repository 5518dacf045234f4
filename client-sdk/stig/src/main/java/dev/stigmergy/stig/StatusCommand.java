package dev.stigmergy.stig;

import dev.stigmergy.client.model.CurrentAgent;
import dev.stigmergy.client.model.HeldFileView;
import dev.stigmergy.client.model.LockGrant;
import dev.stigmergy.client.model.UnlockRequestView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code stig status}: who I am, and what is held and blocked in the environment. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the calling agent, live locks, files held by intents (L1-L4), files blocked at L4 and "
                + "unlock requests waiting for your answer, in the environment.",
        footer = {"", "Example:", "  stig status", "  stig status --json | jq '.heldFiles[] | .path'"})
final class StatusCommand extends StigCommand {

    @Option(names = {"-e", "--environment"}, description = "Environment (default: $STIGMERGY_ENVIRONMENT, .stigmergy).")
    String environment;

    @Override
    int run() throws Exception {
        String env = settings().environment(environment);
        CurrentAgent me = client().agents().getCurrentAgent();
        List<LockGrant> locks = client().locks().listLocks(env, null, 500);
        List<HeldFileView> held = client().intents().listHeldFiles(env);
        List<HeldFileView> blocked = client().intents().listBlockedFiles(env);
        List<UnlockRequestView> asked = client().unlockRequests()
                .listUnlockRequests(null, me.getAgent().getId(), 100, null, "PENDING");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("agent", me.getAgent().getId());
        answer.put("role", me.getActingRole());
        answer.put("environment", env);
        answer.put("locks", locks);
        answer.put("heldFiles", held);
        answer.put("blockedFiles", blocked);
        answer.put("unlockRequestsToAnswer", asked);

        StringBuilder text = new StringBuilder();
        text.append("agent ").append(me.getAgent().getId()).append(" (role ").append(me.getActingRole())
                .append(") in environment ").append(env).append("\n\n");
        Table lockTable = new Table("LOCKED", "HOLDER", "TOKEN", "EXPIRES");
        locks.forEach(l -> lockTable.row(l.getEntity(), l.getHolder(), l.getFencingToken(), until(l.getExpiresAt())));
        text.append(lockTable.isEmpty() ? "no locks" : lockTable.toString()).append("\n\n");
        Table heldTable = new Table("HELD FILE", "LINES", "LEVEL", "HOLDER", "INTENT", "ENTITY", "PRIORITY", "EXPIRES");
        held.forEach(h -> heldTable.row(h.getPath(), lines(h), "L" + h.getLevel(), h.getHolder(), h.getIntentId(),
                h.getEntity(), h.getPriority(), until(h.getExpiresAt())));
        text.append(heldTable.isEmpty() ? "no files held" : heldTable.toString()).append("\n\n");
        Table blockedTable = new Table("BLOCKED (L4)", "HOLDER", "INTENT", "EXPIRES");
        blocked.forEach(h -> blockedTable.row(h.getPath(), h.getHolder(), h.getIntentId(), until(h.getExpiresAt())));
        text.append(blockedTable.isEmpty() ? "no files blocked" : blockedTable.toString()).append("\n\n");
        Table askedTable = new Table("UNLOCK REQUEST", "FROM", "ON", "REASON");
        asked.forEach(r -> askedTable.row(r.getId(), r.getRequester(), r.getHoldKind() + " " + r.getHoldId(), r.getReason()));
        text.append(askedTable.isEmpty() ? "no unlock requests for you" : askedTable
                + "\n(answer with: stig approve <id> | stig reject <id>)");
        print(answer, text.toString());
        return Exit.DONE;
    }

    private static String lines(HeldFileView h) {
        String ranges = IntentCommands.ranges(h.getLineRanges());
        return ranges.isEmpty() ? "all" : ranges.substring(" lines ".length());
    }
}
