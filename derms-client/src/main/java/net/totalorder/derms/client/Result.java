package net.totalorder.derms.client;

import java.net.URI;
import java.util.List;
import java.util.OptionalLong;

/**
 * What one DERMS operation came to after all its attempts. Immutable.
 *
 * @param outcome    which kind of ending it had
 * @param server     the server whose answer this is; null for {@link Outcome#NO_ANSWER}
 * @param httpStatus the HTTP status of that answer; 0 for {@link Outcome#NO_ANSWER}
 * @param seq        the answer's {@code X-Replication-Seq} header, if it had a valid one
 * @param status     {@code SUCCESS}, {@code FAILURE} or {@code WAITLISTED} for {@link Outcome#ANSWERED}; else null
 * @param message    the result's message ({@link Outcome#ANSWERED}), the server's error ({@link Outcome#REJECTED}),
 *                   or what went wrong ({@link Outcome#UNEXPECTED}, {@link Outcome#NO_ANSWER})
 * @param field      the input field the server named in its error ({@link Outcome#REJECTED}); else null
 * @param resources  the result's {@code resources}; null when the answer has none (only list and find have them)
 * @param body       the answer's body as received; null for {@link Outcome#NO_ANSWER}
 * @param attempts   how many HTTP requests the operation sent
 */
public record Result(Outcome outcome, URI server, int httpStatus, OptionalLong seq, String status, String message,
        String field, List<Resource> resources, String body, int attempts) {

    /** The kinds of ending of an operation. */
    public enum Outcome {
        /** HTTP 200 with a business result, whatever its status. */
        ANSWERED,
        /** HTTP 400, 403 or 422: the request itself is wrong; retrying it cannot help. */
        REJECTED,
        /** A final answer the contract does not describe (another status, or a body that does not parse). */
        UNEXPECTED,
        /** The overall deadline passed without a final answer. */
        NO_ANSWER
    }

    static Result answered(URI server, OptionalLong seq, String status, String message, List<Resource> resources,
            String body, int attempts) {
        return new Result(Outcome.ANSWERED, server, 200, seq, status, message, null, resources, body, attempts);
    }

    static Result rejected(URI server, int httpStatus, OptionalLong seq, String error, String field, String body,
            int attempts) {
        return new Result(Outcome.REJECTED, server, httpStatus, seq, null, error, field, null, body, attempts);
    }

    static Result unexpected(URI server, int httpStatus, OptionalLong seq, String problem, String body, int attempts) {
        return new Result(Outcome.UNEXPECTED, server, httpStatus, seq, null, problem, null, null, body, attempts);
    }

    static Result noAnswer(String lastFailure, int attempts) {
        return new Result(Outcome.NO_ANSWER, null, 0, OptionalLong.empty(), null, lastFailure, null, null, null,
                attempts);
    }
}
