package dev.stigmergy.stig;

import dev.stigmergy.client.model.DecideUnlockRequest;
import dev.stigmergy.client.model.UnlockRequestView;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stig request-unlock | approve | reject}: unlock requests against a lock or an intent (DESIGN.md §3). */
final class UnlockRequestCommands {

    private UnlockRequestCommands() {
    }

    private static String describe(UnlockRequestView r) {
        return "unlock request " + r.getId() + " on " + r.getHoldKind() + " " + r.getHoldId() + " (" + r.getEntity()
                + "), held by " + r.getHolder() + ", from " + r.getRequester() + ": " + r.getStatus();
    }

    @Command(name = "request-unlock", mixinStandardHelpOptions = true,
            description = "Ask the holder of an entity's lock, or of an intent, to release it (or hand it over to "
                    + "you). A repeated request returns the pending one.",
            footer = {"", "Example:", "  stig request-unlock job/COD2-5 --reason 'the release needs this fix'",
                    "  stig request-unlock --intent 42 --reason 'I must edit lines 10-20 of src/App.java' --handover"})
    static final class RequestUnlock extends StigCommand {

        static final class Target {
            @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "kind/key of the locked entity (default: $STIGMERGY_ENTITY)")
            String entity;

            @Option(names = "--intent", description = "the intent id instead of a lock")
            Long intent;
        }

        @ArgGroup(exclusive = true)
        Target target = new Target();

        @Option(names = "--reason", required = true, description = "why you need it, shown to the holder")
        String reason;

        @Option(names = "--handover", description = "ask for the hold to be handed to you when approved")
        boolean handover;

        @Override
        int run() throws Exception {
            dev.stigmergy.client.model.RequestUnlock request = new dev.stigmergy.client.model.RequestUnlock().reason(reason).handover(handover);
            UnlockRequestView r;
            if (target != null && target.intent != null) {
                r = client().unlockRequests().requestIntentUnlock(target.intent, request);
            } else {
                EntityAddress e = entity(target == null ? null : target.entity);
                r = client().unlockRequests().requestUnlock(e.kind(), e.key(), request);
            }
            print(r, describe(r));
            return Exit.DONE;
        }
    }

    /** What approving and rejecting share: the request's id, a note, and the decision's answer printed. */
    abstract static class Decide extends StigCommand {

        @Parameters(index = "0", paramLabel = "REQUEST", description = "unlock request id (see stig status)")
        long id;

        @Option(names = "--note", description = "a note for the requester")
        String note;

        abstract UnlockRequestView decide(long id, DecideUnlockRequest decision) throws Exception;

        @Override
        int run() throws Exception {
            UnlockRequestView r = decide(id, new DecideUnlockRequest().note(note));
            print(r, describe(r));
            return Exit.DONE;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true,
            description = "Approve an unlock request on your hold: releases it, or hands it over when asked.",
            footer = {"", "Example:", "  stig approve 17 --note 'done with it'"})
    static final class Approve extends Decide {
        @Override
        UnlockRequestView decide(long id, DecideUnlockRequest decision) throws Exception {
            return client().unlockRequests().approveUnlockRequest(id, decision);
        }
    }

    @Command(name = "reject", mixinStandardHelpOptions = true,
            description = "Reject an unlock request on your hold; you keep it.",
            footer = {"", "Example:", "  stig reject 17 --note 'finishing in 10 minutes'"})
    static final class Reject extends Decide {
        @Override
        UnlockRequestView decide(long id, DecideUnlockRequest decision) throws Exception {
            return client().unlockRequests().rejectUnlockRequest(id, decision);
        }
    }
}
