package dev.stigmergy.event;

import dev.stigmergy.api.StigmergyException;

import java.util.Map;

/**
 * A selector that breaks the grammar of {@link EventSelector}: 400, with members {@code selector} (as written),
 * {@code position} (1-based character where the failing segment starts) and {@code segment} (1-based).
 */
public class MalformedSelectorException extends StigmergyException {

    public MalformedSelectorException(String selector, int position, int segment, String why) {
        super(400, "/problems/malformed-selector", "Malformed selector",
                "malformed selector '" + selector + "' at character " + position + " (segment " + segment + "): " + why
                        + "; segments are names of letters, digits, '_' or '-', or a lone '*', separated by single dots",
                Map.of("selector", selector, "position", position, "segment", segment));
    }
}
