package dev.stigmergy.lock;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /entities/{kind}/{key}/lock}.
 *
 * @param leaseSeconds lease length in seconds, 1 to {@code stigmergy.lock.max-lease-seconds} (default 3600)
 * @param reason       optional free text shown to others, at most 1000 characters
 */
public record AcquireLock(@NotNull @Min(1) Integer leaseSeconds, @Size(max = 1000) String reason) {
}
