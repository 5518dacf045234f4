package dev.stigmergy.intent;

import jakarta.validation.constraints.Min;

/**
 * Optional body of {@code POST /intents/{id}/renew}; like every body, unknown fields are refused (400).
 *
 * @param leaseSeconds new lease length in seconds from now, 1 to {@code stigmergy.intent.max-lease-seconds};
 *                     default the intent's own lease length
 */
public record RenewIntent(@Min(1) Integer leaseSeconds) {
}
