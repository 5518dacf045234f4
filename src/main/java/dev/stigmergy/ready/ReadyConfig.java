package dev.stigmergy.ready;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Ready-query settings, {@code stigmergy.ready.*}. */
@ConfigMapping(prefix = "stigmergy.ready")
public interface ReadyConfig {

    /**
     * Summed current {@code saturation} intensity at which an entity counts as saturated and is left out of ready
     * work; default 2.5 (two agents took it up and did not finish, as the replay colony's workers judge it).
     */
    @WithDefault("2.5")
    double saturatedIntensity();
}
