package dev.stigmergy.stig;

import dev.stigmergy.client.model.HeartbeatAnswer;
import dev.stigmergy.client.model.RenewedLease;
import picocli.CommandLine.Command;

/** {@code stig heartbeat}: renews every lease the calling agent holds. */
@Command(name = "heartbeat", mixinStandardHelpOptions = true,
        description = "Renew every lease you hold at once: locks, intents, pheromone claims.",
        footer = {"", "Example:", "  stig heartbeat", "  while sleep 60; do stig heartbeat >/dev/null; done &"})
final class HeartbeatCommand extends StigCommand {

    @Override
    int run() throws Exception {
        HeartbeatAnswer answer = client().agents().heartbeat();
        Table table = new Table("RENEWED", "ID", "ENTITY", "EXPIRES");
        for (RenewedLease lease : answer.getRenewed()) {
            table.row(lease.getKind(), lease.getId(), lease.getEntity(), until(lease.getExpiresAt()));
        }
        print(answer, "heartbeat of " + answer.getAgent() + "\n" + (table.isEmpty() ? "nothing to renew" : table.toString()));
        return Exit.DONE;
    }
}
