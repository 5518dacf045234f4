package dev.stigmergy.mergerequest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Creates a merge request bound to branches, or updates its title, refs or state.
 *
 * @param title     1–500 characters
 * @param sourceRef the branch (or any ref) to be merged, e.g. {@code feature/login}; resolved as {@code git
 *                  rev-parse} does against the environment's repository
 * @param targetRef the branch it merges into, e.g. {@code main}
 * @param state     {@code open} (default), {@code merged} or {@code closed}; only open merge requests are compared
 */
public record PutMergeRequest(
        @NotBlank @Size(max = 500) String title,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[^-\\s][^\\s]*", message = "must be a ref name") String sourceRef,
        @NotBlank @Size(max = 255) @Pattern(regexp = "[^-\\s][^\\s]*", message = "must be a ref name") String targetRef,
        @Pattern(regexp = "open|merged|closed", message = "must be open, merged or closed") String state) {
}
