/**
 * Merge requests bound to branches and the conflict radar over them (issue 28; DESIGN.md §7 "Merge
 * requests"): a {@code merge-request} entity names a {@code sourceRef} and {@code targetRef} of its environment's
 * repository and is {@code open}, {@code merged} or {@code closed}. The radar learns that refs moved by polling
 * (one read of all refs per environment) or by {@code POST /environments/{env}/refs}; it recomputes only the
 * pairs of open merge requests on one target whose source moved (trial merges cached by commit pair), keeps the
 * service-owned {@code merge_conflict_risk} pheromone on both merge requests of each colliding pair, and
 * {@code files_blocked} on a merge request whose changed files other agents hold at L3/L4. Owns tables
 * {@code merge_request} and {@code merge_request_pair}. Uses {@code api}, {@code agent}, {@code event},
 * {@code environment}, {@code entity}, {@code git}, {@code pheromone} and {@code intent}.
 */
package dev.stigmergy.mergerequest;
