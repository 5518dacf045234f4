package dev.stigmergy.pheromone;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Pheromone settings, prefix {@code stigmergy.pheromone}. */
@ConfigMapping(prefix = "stigmergy.pheromone")
public interface PheromoneConfig {

    /** Largest payload a deposit may carry, in bytes of its JSON text. */
    @WithDefault("4096")
    int payloadMaxBytes();

    /**
     * Most deposits one round of the group commit writes together ({@link DepositBatcher}): two statements
     * per round, however many it holds.
     */
    @WithDefault("64")
    int depositRoundMax();

    /**
     * Writer threads of the group commit, each writing the rounds of its share of the entities, one at a time.
     */
    @WithDefault("2")
    int depositWriters();

    /** Rows the sweep deletes per batch (one {@code pheromone.evaporated} event each). */
    @WithDefault("1000")
    int sweepBatchSize();

    /** Batches per sweep run, bounding one run's work. */
    @WithDefault("20")
    int sweepMaxBatches();

    /** How often the sweep runs (a duration such as {@code 60s}, or {@code off}); read by {@code @Scheduled}. */
    @WithDefault("60s")
    String sweepEvery();
}
