package dev.stigmergy.unlock;

import jakarta.validation.constraints.Size;

/**
 * Optional body of approve and reject.
 *
 * @param note the holder's note to the requester, at most 1000 characters
 */
public record DecideUnlockRequest(@Size(max = 1000) String note) {
}
