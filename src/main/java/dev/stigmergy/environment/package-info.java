/**
 * Environments: one workspace each, a git repository location plus the entities, intents and signals that
 * belong to it (DESIGN.md §1). Uses {@code api}, {@code agent} and {@code event}.
 */
package dev.stigmergy.environment;
