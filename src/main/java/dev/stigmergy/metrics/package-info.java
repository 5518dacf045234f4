/**
 * Domain metrics on {@code /q/metrics} (issue 29), beside the ones each capability registers itself
 * ({@code EventMetrics}, {@code RetentionSweep}, the deposit counter): {@link dev.stigmergy.metrics.HoldGauges}.
 * Uses {@code db}; nothing uses it.
 */
package dev.stigmergy.metrics;
