/**
 * What every hold has in common (DESIGN.md §1 "lease", "fencing token"): the one global fencing-token
 * sequence, and the agent heartbeat that renews all of an agent's leases at once. Holders (locks, intents,
 * pheromone claims) observe {@link dev.stigmergy.lease.Heartbeat} in the heartbeat's transaction and add
 * what they renewed. Agent liveness ({@link dev.stigmergy.lease.LivenessService}: active, idle, gone) is derived here
 * from heartbeats and every {@link dev.stigmergy.lease.LiveLeases} holder, served to {@code agent}'s views through
 * {@link dev.stigmergy.agent.AgentLiveness}, and announced on change; owns table {@code agent_liveness} (what was
 * last announced). Uses {@code api}, {@code agent}, {@code event}.
 */
package dev.stigmergy.lease;
