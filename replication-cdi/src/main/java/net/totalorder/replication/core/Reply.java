package net.totalorder.replication.core;

/**
 * The outcome of applying the invocation ordered at {@code seq}: it returned ({@code value} is the encoded return
 * value), threw ({@code value} describes the exception, {@code exception} is this replica's instance), or was
 * rejected without touching any state ({@code value} says why: e.g. an undecodable payload).
 *
 * <p>{@code identity} identifies the invocation (method and arguments, not the time stamp), so that a request id
 * reused for a different invocation is recognised. Two replicas that applied the same sequence hold replies with
 * equal {@link #describe()}. Immutable.
 */
public record Reply(long seq, String requestId, String identity, Outcome outcome, String value,
                    Throwable exception) {

    public enum Outcome { RETURNED, THREW, REJECTED }

    public static Reply returned(long seq, String requestId, String identity, String encodedValue) {
        return new Reply(seq, requestId, identity, Outcome.RETURNED, encodedValue, null);
    }

    public static Reply threw(long seq, String requestId, String identity, Throwable exception) {
        return new Reply(seq, requestId, identity, Outcome.THREW,
                exception.getClass().getName() + ": " + exception.getMessage(), exception);
    }

    public static Reply rejected(long seq, String requestId, String identity, String reason) {
        return new Reply(seq, requestId, identity, Outcome.REJECTED, reason, null);
    }

    /** Everything but this replica's exception instance: equal on every replica for the same seq. */
    public String describe() {
        return seq + " " + requestId + " " + identity + " " + outcome + " " + value;
    }
}
