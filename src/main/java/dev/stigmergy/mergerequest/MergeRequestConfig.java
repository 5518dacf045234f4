package dev.stigmergy.mergerequest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the merge-request conflict radar ({@code stigmergy.merge-requests.*}). */
@ConfigMapping(prefix = "stigmergy.merge-requests")
public interface MergeRequestConfig {

    /**
     * How often every environment with open merge requests has its refs read (one read of all refs each; a
     * clone URL's mirror is fetched once). {@code off} leaves it to {@code POST /environments/{env}/refs}.
     */
    @WithDefault("30s")
    String pollInterval();

    /**
     * Trial merges of one read computed side by side (they only read the repository); {@code 0}, the default, is
     * one per available processor.
     */
    @WithDefault("0")
    int parallelism();

    /** Trial merges kept in memory by commit pair, across environments. */
    @WithDefault("10000")
    int cacheSize();
}
