package net.totalorder.replication.api;

/**
 * The call was applied already, at {@link #sequence()}, and its reply is no longer retained: it came back (a retry
 * with the same idempotency key) later than the reply retention. It was not executed again (HTTP 409). A retry later
 * still than the request-id retention cannot be recognised and would be executed as a new call; both retentions are
 * set in seqs ({@code replication.reply-retention}, {@code replication.request-id-retention}).
 */
public class ReplyExpiredException extends RuntimeException {

    private final long sequence;

    public ReplyExpiredException(long sequence, String message) {
        super(message);
        this.sequence = sequence;
    }

    /**
     * The seq the call was applied at; or, when the retry came so late that even its id had aged out by the time
     * it was answered, the seq its repeat was ordered at.
     */
    public long sequence() {
        return sequence;
    }
}
