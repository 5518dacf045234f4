package dev.stigmergy.event;

import dev.stigmergy.api.InvalidInputException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A selector on the event type: dot-separated segments, each a name ({@code [a-z0-9_-]+}, case-insensitive)
 * or {@code *}, which stands for one or more whole segments. {@code pheromone.*} matches
 * {@code pheromone.deposited} and {@code pheromone.claim.granted}; {@code *.released} matches
 * {@code lock.released}; {@code *} matches every type; {@code intent.denied} matches only itself.
 *
 * @param pattern the selector as written
 * @see "DESIGN.md §5"
 */
public record EventSelector(String pattern, Pattern regex) {

    /** Longest selector accepted, in characters. */
    public static final int MAX_LENGTH = 100;
    /** Most selectors one stream accepts. */
    public static final int MAX_COUNT = 32;

    private static final Pattern SEGMENT = Pattern.compile("\\*|[A-Za-z0-9_-]+");

    /**
     * Parses one selector.
     *
     * @throws InvalidInputException      empty, or longer than {@link #MAX_LENGTH} (400)
     * @throws MalformedSelectorException an empty segment, a segment mixing {@code *} with other characters, or a
     *                                    character outside the grammar; names where (400)
     */
    public static EventSelector parse(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new InvalidInputException("an event selector must not be empty; use * for every type");
        }
        if (pattern.length() > MAX_LENGTH) {
            throw new InvalidInputException("an event selector has at most " + MAX_LENGTH + " characters");
        }
        String[] segments = pattern.split("\\.", -1);
        StringBuilder regex = new StringBuilder();
        int position = 1;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (!SEGMENT.matcher(segment).matches()) {
                throw new MalformedSelectorException(printable(pattern), position, i + 1, why(segment));
            }
            position += segment.length() + 1;
            if (i > 0) {
                regex.append("\\.");
            }
            regex.append(segment.equals("*") ? "[^.]+(?:\\.[^.]+)*" : Pattern.quote(segment.toLowerCase()));
        }
        return new EventSelector(pattern, Pattern.compile(regex.toString()));
    }

    /**
     * Parses a selector list; each element may itself hold several selectors separated by commas.
     * An absent or empty list selects every type.
     *
     * @throws InvalidInputException a malformed selector, or more than {@link #MAX_COUNT} (400)
     */
    public static List<EventSelector> parseAll(List<String> values) {
        List<EventSelector> selectors = new ArrayList<>();
        if (values == null) {
            return selectors;
        }
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                selectors.add(parse(part.trim()));
                if (selectors.size() > MAX_COUNT) {
                    throw new InvalidInputException("a stream accepts at most " + MAX_COUNT + " event selectors");
                }
            }
        }
        return selectors;
    }

    /** Whether {@code type} matches this selector; type names compare case-insensitively. */
    public boolean matches(String type) {
        return type != null && regex.matcher(type.toLowerCase()).matches();
    }

    private static String why(String segment) {
        if (segment.isEmpty()) {
            return "the segment is empty";
        }
        if (segment.contains("*")) {
            return "'*' stands alone in its segment, '" + printable(segment) + "' mixes it with other characters";
        }
        return "'" + printable(segment) + "' holds a character other than a letter, digit, '_' or '-'";
    }

    private static String printable(String s) {
        String shown = s.replaceAll("\\p{Cntrl}", "?");
        return shown.length() > 40 ? shown.substring(0, 40) + "…" : shown;
    }
}
