package dev.stigmergy.event;

/**
 * One thing written to a stream: an event (SSE {@code id}, {@code event}, {@code data}) or a comment line.
 *
 * @param id      log id of the event; 0 for a comment
 * @param type    event type, the SSE {@code event:} field; {@code null} for a comment
 * @param data    the {@link EventView} as JSON; {@code null} for a comment
 * @param comment comment text, or {@code null} for an event
 */
record StreamItem(long id, String type, String data, String comment) {

    static StreamItem event(long id, String type, String data) {
        return new StreamItem(id, type, data, null);
    }

    static StreamItem comment(String text) {
        return new StreamItem(0, null, null, text);
    }

    boolean isComment() {
        return comment != null;
    }
}
