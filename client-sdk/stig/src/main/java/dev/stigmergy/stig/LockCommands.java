package dev.stigmergy.stig;

import dev.stigmergy.client.model.AcquireLock;
import dev.stigmergy.client.model.LockGrant;
import dev.stigmergy.client.model.RenewLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stig lock | unlock | renew}: the exclusive, leased lock on an entity (DESIGN.md §3). */
final class LockCommands {

    private LockCommands() {
    }

    private static String granted(StigCommand c, String verb, LockGrant g) {
        return verb + " " + g.getEntity() + " (fencing token " + g.getFencingToken() + ") until " + c.until(g.getExpiresAt());
    }

    @Command(name = "lock", mixinStandardHelpOptions = true,
            description = "Acquire the lock on an entity, or renew it when you hold it already. Exit 3 when another "
                    + "agent holds it; the message names the holder and its expiry.",
            footer = {"", "Example:", "  stig lock job/COD2-5 --lease-seconds 600 --reason 'fixing the redirect'"})
    static final class LockCmd extends StigCommand {

        @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "kind/key (default: $STIGMERGY_ENTITY)")
        String entity;

        @Option(names = "--lease-seconds", defaultValue = "600", description = "lease (default: ${DEFAULT-VALUE})")
        int leaseSeconds;

        @Option(names = "--reason", description = "why, shown to others")
        String reason;

        @Override
        int run() throws Exception {
            EntityAddress e = entity(entity);
            LockGrant g = client().locks().acquireLock(e.kind(), e.key(),
                    new AcquireLock().leaseSeconds(leaseSeconds).reason(reason));
            print(g, granted(this, "locked", g));
            return Exit.DONE;
        }
    }

    @Command(name = "unlock", mixinStandardHelpOptions = true,
            description = "Release your lock on an entity. Exit 3 when another agent holds it, 4 when nobody does.",
            footer = {"", "Example:", "  stig unlock job/COD2-5"})
    static final class Unlock extends StigCommand {

        @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "kind/key (default: $STIGMERGY_ENTITY)")
        String entity;

        @Override
        int run() throws Exception {
            EntityAddress e = entity(entity);
            LockGrant g = client().locks().releaseLock(e.kind(), e.key());
            print(g, "released " + g.getEntity() + " (fencing token " + g.getFencingToken() + ")");
            return Exit.DONE;
        }
    }

    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Renew your lock on an entity (same fencing token, new expiry). To renew every lease you "
                    + "hold at once, use stig heartbeat.",
            footer = {"", "Example:", "  stig renew job/COD2-5 --lease-seconds 900"})
    static final class Renew extends StigCommand {

        @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "kind/key (default: $STIGMERGY_ENTITY)")
        String entity;

        @Option(names = "--lease-seconds", description = "new lease (default: the lock's own)")
        Integer leaseSeconds;

        @Override
        int run() throws Exception {
            EntityAddress e = entity(entity);
            LockGrant g = client().locks().renewLock(e.kind(), e.key(), new RenewLock().leaseSeconds(leaseSeconds));
            print(g, granted(this, "renewed", g));
            return Exit.DONE;
        }
    }
}
