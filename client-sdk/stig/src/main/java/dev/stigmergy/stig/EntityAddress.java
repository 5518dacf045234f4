package dev.stigmergy.stig;

/**
 * An entity's address {@code kind/key}, as the service writes it; a bare key means {@code job/key}.
 *
 * @param kind e.g. {@code job}, {@code merge-request}
 * @param key  e.g. {@code COD2-5}
 */
record EntityAddress(String kind, String key) {

    static EntityAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new StigException(Exit.USAGE, "no entity: give one (kind/key) or set STIGMERGY_ENTITY");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new EntityAddress("job", text);
        }
        if (slash == 0 || slash == text.length() - 1) {
            throw new StigException(Exit.USAGE, "entity '" + text + "' is not kind/key");
        }
        return new EntityAddress(text.substring(0, slash), text.substring(slash + 1));
    }

    @Override
    public String toString() {
        return kind + "/" + key;
    }
}
