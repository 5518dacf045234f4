package dev.stigmergy.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Fills a page with items in order until the next would take the answer past {@link #MAX_BYTES} of JSON, so no
 * dashboard read grows with the medium (issue 29: no request over 1 MB). Sizes are measured with the mapper the
 * answer is written with.
 */
final class PageBudget<T> {

    /** Most bytes of items a page carries; the page's own members add a few hundred more, well under 1 MB. */
    static final int MAX_BYTES = 900_000;

    private final ObjectMapper json;
    private final UnaryOperator<T> trim;
    private final List<T> items = new ArrayList<>();
    private long bytes;

    /** @param trim the item without its lists, for an item that alone passes the bound */
    PageBudget(ObjectMapper json, UnaryOperator<T> trim) {
        this.json = json;
        this.trim = trim;
    }

    /** Adds the item when it fits, or its trimmed form when the page is still empty; {@code false} when full. */
    boolean add(T item) {
        long size = size(item);
        if (bytes + size > MAX_BYTES) {
            if (!items.isEmpty()) {
                return false;
            }
            // a page always moves on by one item, so paging cannot stall on a heavy one
            item = trim.apply(item);
            size = size(item);
        }
        items.add(item);
        bytes += size + 1;
        return true;
    }

    List<T> items() {
        return items;
    }

    private long size(T item) {
        try {
            return json.writeValueAsBytes(item).length;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
