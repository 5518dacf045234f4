/**
 * Locks (DESIGN.md §3): an exclusive, leased claim of one agent on one entity, with a fencing token from
 * the global sequence for every grant. Owns table {@code entity_lock}. Acquire, renew, release, force
 * release, fencing check, lazy and swept expiry, heartbeat renewal; {@link dev.stigmergy.lock.LockHandover}
 * implements {@link dev.stigmergy.lease.Holds} for kind {@code lock} (hold id = fencing token) and fires
 * {@link dev.stigmergy.lease.HoldEnded} on every end but the holder's release of a grant no unlock request was
 * made against. {@link dev.stigmergy.lock.LockService} holds the holder's verbs, {@code LockHandover} the answers to
 * unlock requests, {@code LockTransitions} what both share; {@code LockRepository} every statement on the table
 * (and the live-holder fragment the ready query reads). Uses {@code api}, {@code agent}, {@code caller}, {@code event}, {@code entity}, {@code lease};
 * {@code unlock} uses it.
 */
package dev.stigmergy.lock;
