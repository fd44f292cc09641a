package net.totalorder.derms.domain;

/**
 * Malformed or missing input (HTTP 400). {@link #field()} names the offending JSON field, e.g. {@code "userId"}.
 * Such input never reaches the replicated log.
 */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public InvalidInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON field whose value is missing or malformed. */
    public String field() {
        return field;
    }
}
