package dev.stigmergy.entity;

/**
 * A resolved entity, as other capabilities refer to it.
 *
 * @param id          surrogate key, stable for the entity's life
 * @param kind        entity kind
 * @param key         key within the kind
 * @param environment environment the entity belongs to
 */
public record EntityRef(long id, String kind, String key, String environment) {

    /** The address {@code kind/key}, as used in paths and events. */
    public String address() {
        return kind + "/" + key;
    }
}
