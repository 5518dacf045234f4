package dev.stigmergy.api;

import java.util.Map;

/**
 * Root of every error a caller can act on. Each subclass names one condition and becomes an RFC 9457
 * problem document: {@link #status()} is the HTTP status, {@link #type()} the problem type (a relative
 * URI such as {@code /problems/not-found}), {@link #members()} the extension members written beside
 * {@code type}, {@code title}, {@code status} and {@code detail}.
 */
public class StigmergyException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> members;

    public StigmergyException(int status, String type, String title, String detail) {
        this(status, type, title, detail, Map.of());
    }

    public StigmergyException(int status, String type, String title, String detail, Map<String, Object> members) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.members = Map.copyOf(members);
    }

    /** HTTP status of the problem response. */
    public int status() {
        return status;
    }

    /** Problem type, a URI reference relative to the service root. */
    public String type() {
        return type;
    }

    /** Short, human-readable summary of the problem type; the same for every occurrence. */
    public String title() {
        return title;
    }

    /** Extension members of the problem document, such as the conflicting hold of a 409. */
    public Map<String, Object> members() {
        return members;
    }
}
