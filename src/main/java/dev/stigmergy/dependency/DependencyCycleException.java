package dev.stigmergy.dependency;

import dev.stigmergy.api.StigmergyException;

import java.util.List;
import java.util.Map;

/** The link would close a cycle: 409, with member {@code cycle}, the addresses around it, first and last the same. */
public class DependencyCycleException extends StigmergyException {

    public DependencyCycleException(List<String> cycle) {
        super(409, "/problems/dependency-cycle", "Dependency cycle",
                "the link would close the cycle " + String.join(" -> ", cycle), Map.of("cycle", cycle));
    }
}
