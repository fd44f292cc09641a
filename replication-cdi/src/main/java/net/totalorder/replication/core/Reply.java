package net.totalorder.replication.core;

/**
 * The outcome of applying the invocation ordered at {@code seq}: it returned ({@code value} is the encoded return
 * value), threw ({@code value} is the encoded exception; {@code exception} is the instance this replica caught, or
 * null on a replica that got the reply from a snapshot), or was rejected without touching any state
 * ({@code value} says why: e.g. an undecodable payload). {@code readOnly}: the invocation only read, so its reply is
 * handed to its caller and not kept.
 *
 * <p>EXPIRED is not an outcome of applying: it answers a request that was already applied, at {@code seq}, and whose
 * reply is no longer retained; nothing was executed again.
 *
 * <p>{@code identity} identifies the invocation (method and arguments, not the time stamp), so that a request id
 * reused for a different invocation is recognised. Two replicas that applied the same sequence hold replies with
 * equal {@link #describe()}. Immutable.
 */
public record Reply(long seq, String requestId, String identity, Outcome outcome, String value,
                    Throwable exception, boolean readOnly) {

    public enum Outcome { RETURNED, THREW, REJECTED, EXPIRED }

    public static Reply returned(long seq, String requestId, String identity, String encodedValue, boolean readOnly) {
        return new Reply(seq, requestId, identity, Outcome.RETURNED, encodedValue, null, readOnly);
    }

    public static Reply threw(long seq, String requestId, String identity, String encodedException,
                              Throwable exception, boolean readOnly) {
        return new Reply(seq, requestId, identity, Outcome.THREW, encodedException, exception, readOnly);
    }

    public static Reply rejected(long seq, String requestId, String identity, String reason) {
        return new Reply(seq, requestId, identity, Outcome.REJECTED, reason, null, false);
    }

    /** {@code requestId} was applied at {@code seq}; its reply was evicted from the reply cache. */
    public static Reply expired(long seq, String requestId) {
        return new Reply(seq, requestId, "", Outcome.EXPIRED,
                "request " + requestId + " was applied at seq " + seq + "; its reply is no longer retained", null,
                false);
    }

    /** The same reply without this replica's exception instance, as another replica or a snapshot holds it. */
    Reply withoutInstance() {
        return exception == null ? this : new Reply(seq, requestId, identity, outcome, value, null, readOnly);
    }

    /** Everything but this replica's exception instance: equal on every replica for the same seq. */
    public String describe() {
        return seq + " " + requestId + " " + identity + " " + outcome + " " + value;
    }
}
