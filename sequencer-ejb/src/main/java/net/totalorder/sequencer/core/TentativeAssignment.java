package net.totalorder.sequencer.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A tentative assignment {@code ta = <req_id, #seq, #epoch>} of the paper (§4.1), extended with the request's
 * payload: the assignments stored on a majority are the recoverable ordered log (brief, invariant 4).
 *
 * <p>{@code epoch} is the epoch of the primary that <em>created</em> the assignment; it never changes when the
 * assignment is copied to other replicas or adopted by a later primary.
 *
 * <p>Limits, checked by {@link #validateRequest}: a request id is 1 to {@value #MAX_REQUEST_ID_LENGTH} UTF-16
 * characters and at most {@value #MAX_REQUEST_ID_BYTES} bytes in UTF-8; a payload is 1 to
 * {@value #MAX_PAYLOAD_BYTES} bytes. The payload array is never mutated after construction.
 *
 * <p>Immutable; safe to share between threads.
 */
public record TentativeAssignment(String reqId, long seq, long epoch, byte[] payload) {

    public static final int MAX_REQUEST_ID_LENGTH = 512;
    public static final int MAX_REQUEST_ID_BYTES = 1024;
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;

    public TentativeAssignment {
        validateRequest(reqId, payload);
        if (seq < 1 || seq > SequencerMessage.MAX_NUMBER) {
            throw new IllegalArgumentException("seq must be in 1.." + SequencerMessage.MAX_NUMBER + ", was " + seq);
        }
        if (epoch < 1 || epoch > SequencerMessage.MAX_NUMBER) {
            throw new IllegalArgumentException("epoch must be in 1.." + SequencerMessage.MAX_NUMBER + ", was "
                    + epoch);
        }
    }

    /** What this assignment costs on the wire and in a log, roughly: id, payload and the fixed fields. */
    public long size() {
        return reqId.length() + payload.length + 24L;
    }

    /**
     * Refuses a request that must never be ordered.
     *
     * @throws IllegalArgumentException naming what is wrong: null, empty or oversized request id or payload
     */
    public static void validateRequest(String reqId, byte[] payload) {
        validateRequestId(reqId);
        if (payload == null) {
            throw new IllegalArgumentException("payload of request '" + reqId + "' is null");
        }
        if (payload.length == 0) {
            throw new IllegalArgumentException("payload of request '" + reqId + "' is empty");
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of request '" + reqId + "' has " + payload.length
                    + " bytes, more than the limit of " + MAX_PAYLOAD_BYTES);
        }
    }

    /**
     * Refuses an id no request (nor read) may carry.
     *
     * @throws IllegalArgumentException naming what is wrong: a null, empty or oversized id
     */
    public static void validateRequestId(String reqId) {
        if (reqId == null) {
            throw new IllegalArgumentException("request id is null");
        }
        if (reqId.isEmpty()) {
            throw new IllegalArgumentException("request id is empty");
        }
        // a char takes at most 3 UTF-8 bytes (a surrogate pair 4 for two): only a longer id is encoded to be measured
        if (reqId.length() > MAX_REQUEST_ID_LENGTH || reqId.length() > MAX_REQUEST_ID_BYTES / 3
                && reqId.getBytes(StandardCharsets.UTF_8).length > MAX_REQUEST_ID_BYTES) {
            throw new IllegalArgumentException("request id is longer than " + MAX_REQUEST_ID_LENGTH
                    + " characters or " + MAX_REQUEST_ID_BYTES + " UTF-8 bytes");
        }
    }

    /** Same request and same payload: the assignment two replicas must agree on for a definitive seq. */
    public boolean sameRequestAs(TentativeAssignment other) {
        return reqId.equals(other.reqId) && Arrays.equals(payload, other.payload);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TentativeAssignment ta && seq == ta.seq && epoch == ta.epoch
                && reqId.equals(ta.reqId) && Arrays.equals(payload, ta.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reqId, seq, epoch) * 31 + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "<" + reqId + "," + seq + "," + epoch + ">";
    }
}
