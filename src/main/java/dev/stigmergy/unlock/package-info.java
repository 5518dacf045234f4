/**
 * Unlock requests (DESIGN.md §3) against any hold: a lock today, a file intent's files next. Owns table
 * {@code unlock_request}. A request addresses its hold by (hold kind, hold id) and acts on it only through
 * the holder service's {@link dev.stigmergy.lease.Holds}; it learns that a hold ended from
 * {@link dev.stigmergy.lease.HoldEnded}, observed in the ending transaction. {@code UnlockRequestRepository} holds
 * every statement on the table. Uses {@code api}, {@code caller},
 * {@code event}, {@code lease}, {@code lock}.
 */
package dev.stigmergy.unlock;
