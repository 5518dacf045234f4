/**
 * Ready work (DESIGN.md §7, issue 27): {@code GET /environments/{env}/ready}, the entities the caller could take
 * now, ranked by decayed {@code importance} then age, each with the reason for its place. One read built in SQL from
 * the fragments each owner publishes (locks: {@link dev.stigmergy.lock.LockRepository#LIVE_HOLDER}; signals:
 * {@link dev.stigmergy.pheromone.PheromoneSql}; intents:
 * {@link dev.stigmergy.intent.IntentRepository#FILES_BLOCKED_FOR_CALLER}; dependencies:
 * {@link dev.stigmergy.dependency.DependencyService#unfinished}); nothing here writes. Uses {@code api},
 * {@code agent}, {@code environment}, {@code entity}, {@code pheromone}, {@code lock}, {@code intent} and
 * {@code dependency}.
 */
package dev.stigmergy.ready;
