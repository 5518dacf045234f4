package dev.stigmergy.ready;

import java.time.Instant;
import java.util.List;

/**
 * A page of ready work, best first.
 *
 * @param environment the environment
 * @param role        the role the call acted as (its slice filters the page)
 * @param at          the instant importance was computed at; every page of one walk uses the first page's
 * @param items       the entities, best first: higher importance, then older, then created earlier by id
 * @param nextAfter   pass as {@code after} to read the next page; {@code null} when this page is the last
 */
public record ReadyPage(String environment, String role, Instant at, List<ReadyEntity> items, String nextAfter) {
}
