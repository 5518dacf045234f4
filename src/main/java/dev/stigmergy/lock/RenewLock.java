package dev.stigmergy.lock;

import jakarta.validation.constraints.Min;

/**
 * Optional body of {@code POST /entities/{kind}/{key}/lock/renew}.
 *
 * @param leaseSeconds new lease length in seconds from now, 1 to the configured maximum; default the
 *                     hold's own lease length
 */
public record RenewLock(@Min(1) Integer leaseSeconds) {
}
