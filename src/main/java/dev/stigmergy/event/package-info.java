/**
 * The append-only event log and its push stream (DESIGN.md §5).
 * <ul>
 *   <li>{@link dev.stigmergy.event.EventLog}: one row per state change, appended by every capability in the
 *   transaction of the change ({@link dev.stigmergy.event.EventLog#append}); paged by {@code GET /events}. After
 *   the commit, {@link dev.stigmergy.event.EventNotifier} notifies channel {@code stigmergy_event} (coalesced,
 *   outside the writer's transaction: a transaction that notifies takes a database-wide lock at commit, which would
 *   serialise every writer's commit).</li>
 *   <li>{@code GET /events/stream}: Server-Sent Events filtered by {@link dev.stigmergy.event.EventSelector}s,
 *   environment, entity and agent, resumable with {@code Last-Event-ID}. {@link dev.stigmergy.event.EventHub}
 *   follows the log behind a gap-aware high-water mark and feeds bounded per-stream queues;
 *   {@link dev.stigmergy.event.EventNotificationListener} LISTENs (any replica's commits) and wakes it.</li>
 *   <li>{@link dev.stigmergy.event.EventVisibility}: the seam for role locality, applied to {@code GET /events} and
 *   the stream; the pheromone capability's bean hides pheromone events outside the role's slice unless
 *   {@code stigmergy.events.all-events-visible} is set.</li>
 *   <li>{@link dev.stigmergy.event.NatsBridge}: optional publication to NATS JetStream, position stored in
 *   {@code event_nats_position}.</li>
 *   <li>{@link dev.stigmergy.event.EventRetention}: removes the log's oldest events as a contiguous prefix, keeps the
 *   watermark in {@code event_retention} and answers 410 for a position below it;
 *   {@link dev.stigmergy.event.EventMetrics}: stream subscribers and NATS bridge lag on {@code /q/metrics}.</li>
 *   <li>{@link dev.stigmergy.event.Invalidations}: tells every replica's caches of rarely changing rows (agents,
 *   signal types, role slices) that one changed, through channel {@code stigmergy_invalidate}; observers receive
 *   {@link dev.stigmergy.event.Invalidation}s.</li>
 * </ul>
 * Every capability appends here: through {@link dev.stigmergy.event.EventLog#append}, or, in a statement that also
 * writes its change, through {@link dev.stigmergy.event.EventRows}, the only SQL that inserts event rows. Uses
 * {@code api}, {@code caller} and {@code db}.
 */
package dev.stigmergy.event;
