package dev.stigmergy.stig;

import dev.stigmergy.client.model.Claim;
import dev.stigmergy.client.model.ClaimView;
import dev.stigmergy.client.model.Deposit;
import dev.stigmergy.client.model.EntityPheromones;
import dev.stigmergy.client.model.PheromoneView;
import dev.stigmergy.client.model.Sensed;
import dev.stigmergy.client.model.TypeAggregate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code stig sense | deposit | claim}: pheromones. */
final class PheromoneCommands {

    private PheromoneCommands() {
    }

    @Command(name = "sense", mixinStandardHelpOptions = true,
            description = "Sense an entity's visible pheromones (decayed now) and their aggregates per type; without "
                    + "an entity, the acting role's slice of the medium.",
            footer = {"", "Example:", "  stig sense job/COD2-5", "  stig sense            # the role's slice"})
    static final class Sense extends StigCommand {

        @Parameters(arity = "0..1", paramLabel = "ENTITY", description = "kind/key (default: $STIGMERGY_ENTITY, else the slice)")
        String entity;

        @Override
        int run() throws Exception {
            String address = entity != null ? entity : settings().entity();
            if (address == null) {
                Sensed slice = client().pheromones().senseSlice();
                print(slice, aggregates(slice.getAggregates(), true));
                return Exit.DONE;
            }
            EntityAddress e = EntityAddress.parse(address);
            EntityPheromones sensed = client().pheromones().senseEntity(e.kind(), e.key());
            Table table = new Table("ID", "TYPE", "DEPOSITOR", "INTENSITY", "CLAIMED BY");
            for (PheromoneView p : sensed.getPheromones()) {
                table.row(p.getId(), p.getType(), p.getDepositor(), String.format("%.3f", p.getIntensity()),
                        p.getClaim() == null ? null : p.getClaim().getHolder());
            }
            print(sensed, e + "\n" + (table.isEmpty() ? "no visible pheromones" : table.toString())
                    + "\n\n" + aggregates(sensed.getAggregates(), false));
            return Exit.DONE;
        }

        private static String aggregates(List<TypeAggregate> aggregates, boolean withEntity) {
            Table table = withEntity ? new Table("ENTITY", "TYPE", "TOTAL", "DEPOSITORS")
                    : new Table("TYPE", "TOTAL", "DEPOSITORS");
            for (TypeAggregate a : aggregates) {
                String total = String.format("%.3f", a.getTotalIntensity());
                if (withEntity) {
                    table.row(a.getEntity(), a.getType(), total, String.join(",", a.getDepositors()));
                } else {
                    table.row(a.getType(), total, String.join(",", a.getDepositors()));
                }
            }
            return table.isEmpty() ? "nothing sensed" : table.toString();
        }
    }

    @Command(name = "deposit", mixinStandardHelpOptions = true,
            description = "Deposit a pheromone of a registered type on an entity; a repeat deposit of yours folds "
                    + "decay in, adds and caps at the type's maximum.",
            footer = {"", "Example:", "  stig deposit workingonit --entity job/COD2-5",
                    "  stig deposit discovery.flaky-test --intensity 2 --payload '{\"test\":\"LoginIT\"}'"})
    static final class DepositCmd extends StigCommand {

        @Parameters(index = "0", paramLabel = "TYPE", description = "signal type, e.g. workingonit")
        String type;

        @Option(names = "--entity", description = "kind/key (default: $STIGMERGY_ENTITY)")
        String entity;

        @Option(names = "--intensity", description = "intensity >= 0 (default: 1.0)")
        Double intensity;

        @Option(names = "--payload", paramLabel = "JSON", description = "any JSON value carried by the signal")
        String payload;

        @Option(names = "--half-life-seconds", description = "for EXPONENTIAL types: this deposit's half-life")
        Long halfLifeSeconds;

        @Override
        int run() throws Exception {
            EntityAddress e = entity(entity);
            Deposit deposit = new Deposit().type(type).intensity(intensity).halfLifeSeconds(halfLifeSeconds);
            if (payload != null) {
                try {
                    deposit.payload(Json.MAPPER.readValue(payload, Object.class));
                } catch (Exception bad) {
                    throw new StigException(Exit.USAGE, "--payload is not JSON: " + bad.getMessage());
                }
            }
            PheromoneView p = client().pheromones().depositPheromone(e.kind(), e.key(), deposit);
            print(p, "deposited " + p.getType() + " on " + p.getEntity() + ": intensity "
                    + String.format("%.3f", p.getIntensity()) + " (pheromone " + p.getId() + ")");
            return Exit.DONE;
        }
    }

    @Command(name = "claim", mixinStandardHelpOptions = true,
            description = "Claim a pheromone (first responder wins); the claim is a lease renewed by heartbeats. "
                    + "Exit 3 when another agent holds the claim.",
            footer = {"", "Example:", "  stig claim 4182 --lease-seconds 600"})
    static final class ClaimCmd extends StigCommand {

        @Parameters(index = "0", paramLabel = "PHEROMONE", description = "pheromone id (see stig sense)")
        long pheromone;

        @Option(names = "--lease-seconds", defaultValue = "300", description = "lease, 1-3600 s (default: ${DEFAULT-VALUE})")
        long leaseSeconds;

        @Override
        int run() throws Exception {
            ClaimView c = client().pheromones().claimPheromone(pheromone, new Claim().leaseSeconds(leaseSeconds));
            print(c, "claimed pheromone " + c.getPheromone() + " on " + c.getEntity() + " (fencing token "
                    + c.getFencingToken() + ") until " + until(c.getExpiresAt()));
            return Exit.DONE;
        }
    }
}
