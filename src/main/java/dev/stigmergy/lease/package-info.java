/**
 * What every hold has in common (DESIGN.md §1 "lease", "fencing token"): the one global fencing-token
 * sequence, and the agent heartbeat that renews all of an agent's leases at once. Holders (locks, intents,
 * pheromone claims) observe {@link dev.stigmergy.lease.Heartbeat} in the heartbeat's transaction and add
 * what they renewed. Uses {@code api}, {@code agent}, {@code event}.
 */
package dev.stigmergy.lease;
