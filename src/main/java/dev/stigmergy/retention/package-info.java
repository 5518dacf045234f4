/**
 * Retention (issue 29): {@link dev.stigmergy.retention.RetentionSweep} removes, in bounded batches, what has
 * ended and aged past its retention, through each owner's own statement ({@code EventRetention},
 * {@code IntentRetention}, {@code UnlockRequestRetention}, {@code VerdictRetention}); settings in
 * {@link dev.stigmergy.retention.RetentionConfig}. Uses {@code event}, {@code intent}, {@code unlock},
 * {@code pheromone}; nothing uses it.
 */
package dev.stigmergy.retention;
