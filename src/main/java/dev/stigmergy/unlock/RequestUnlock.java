package dev.stigmergy.unlock;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /entities/{kind}/{key}/lock/unlock-requests}.
 *
 * @param reason     why the requester needs the hold; required, at most 1000 characters
 * @param handover   ask to be handed the hold on approval (new fencing token); default false: approval
 *                   only releases it
 * @param ttlSeconds how long the request waits for a decision, in seconds, 1 to
 *                   {@code stigmergy.unlock-request.max-ttl-seconds}; default
 *                   {@code stigmergy.unlock-request.default-ttl-seconds} (900)
 */
public record RequestUnlock(@NotBlank @Size(max = 1000) String reason, Boolean handover, @Min(1) Integer ttlSeconds) {
}
