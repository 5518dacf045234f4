/**
 * Entities, the coordinated things addressed as {@code {kind}/{key}} (DESIGN.md §1), and the registry of
 * entity kinds ({@code job} and {@code merge-request} built in). Other capabilities find an entity through
 * {@link dev.stigmergy.entity.EntityService#require}. Uses {@code api}, {@code agent}, {@code event},
 * {@code environment}.
 */
package dev.stigmergy.entity;
