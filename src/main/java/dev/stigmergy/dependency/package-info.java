/**
 * Entity dependencies (issue 27): {@code depends-on} links between entities of one environment, kept acyclic, and
 * what "done" means for them: an entity is done when it carries a visible {@code completion.*} pheromone. Owns
 * table {@code entity_dependency}. Publishes {@link dev.stigmergy.dependency.DependencyService#unfinished}
 * for the ready query, and appends {@code entity.ready} when finishing an entity (observed as
 * {@link dev.stigmergy.pheromone.CompletionSignalled}) or removing a link leaves a dependant with no unfinished
 * dependency. Uses {@code api}, {@code agent}, {@code event}, {@code entity} and {@code pheromone}.
 */
package dev.stigmergy.dependency;
