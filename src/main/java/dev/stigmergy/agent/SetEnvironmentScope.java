package dev.stigmergy.agent;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Request to change the environments an agent may reach (admin).
 *
 * @param environments existing environment names, at most 256; {@code null}, absent or empty for every environment
 */
public record SetEnvironmentScope(@Size(max = 256) List<@NotNull @Size(min = 1, max = 64) String> environments) {
}
