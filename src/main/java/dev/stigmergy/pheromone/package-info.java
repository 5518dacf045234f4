/**
 * Pheromones (DESIGN.md §2): the signal-type registry with mandatory decay policies, deposit and removal,
 * sensing computed at read time, reinforcement by verdicts, claims (leases renewed by the agent heartbeat),
 * role slices, and the sweep of evaporated rows. Owns tables {@code signal_type}, {@code pheromone},
 * {@code pheromone_verdict}, {@code role_slice}, and {@code pheromone_aggregate}, the ranking bound that
 * triggers on {@code pheromone} keep (V1__baseline.sql, "Ranking aggregate"). Other capabilities keep and retract service-owned signals
 * such as {@code files_blocked} through {@link dev.stigmergy.pheromone.ServiceSignals}. Rules live in the services
 * ({@link dev.stigmergy.pheromone.PheromoneService} deposits, {@link dev.stigmergy.pheromone.PheromoneSensing}
 * senses, {@link dev.stigmergy.pheromone.PheromoneRanking} ranks by the threshold algorithm); every read and write
 * goes through a repository: {@link dev.stigmergy.pheromone.PheromoneRepository} ({@code pheromone}, its SQL),
 * {@link dev.stigmergy.pheromone.SignalTypeRepository} and {@link dev.stigmergy.pheromone.RoleSliceRepository}. Reads of other capabilities that need
 * signals inside one statement (the ready query) build it from {@link dev.stigmergy.pheromone.PheromoneSql}; the
 * first completion signal on an entity fires {@link dev.stigmergy.pheromone.CompletionSignalled}. Uses {@code api}, {@code caller},
 * {@code entity}, {@code event}, {@code lease}.
 */
package dev.stigmergy.pheromone;
