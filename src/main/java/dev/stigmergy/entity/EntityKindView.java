package dev.stigmergy.entity;

/**
 * An entity kind as served.
 *
 * @param name        kind name, the first segment of an entity address
 * @param description free text
 * @param builtIn     {@code job} and {@code merge-request} are built in
 */
public record EntityKindView(String name, String description, boolean builtIn) {
}
