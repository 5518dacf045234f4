package dev.stigmergy.entity;

import java.util.List;

/**
 * A page of entities ordered by address.
 *
 * @param entities  at most {@code limit} entities after the requested cursor
 * @param nextAfter pass as {@code after} to read on ({@code kind/key} of the last entity); {@code null}
 *                  when the page is empty
 */
public record EntityPage(List<EntityView> entities, String nextAfter) {
}
