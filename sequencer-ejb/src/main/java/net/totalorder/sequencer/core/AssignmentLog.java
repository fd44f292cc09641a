package net.totalorder.sequencer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replica's {@code state.TA}: tentative assignments for seqs {@code 1..lastSeq()}, with no gaps, at most one
 * assignment per seq and per request id, and an index from request id to seq.
 *
 * <p>Invariant: {@code entries.get(i).seq() == i + 1} and {@code seqByReqId} maps exactly the request ids in
 * {@code entries}. A second assignment for a request id already present is a protocol bug and throws.
 *
 * <p>Not thread-safe: owned by one {@link SequencerReplica}, used on its executor.
 */
final class AssignmentLog {

    private final ArrayList<TentativeAssignment> entries = new ArrayList<>();
    private final Map<String, Long> seqByReqId = new HashMap<>();

    long lastSeq() {
        return entries.size();
    }

    /** The assignment at {@code seq}, or null when there is none. */
    TentativeAssignment get(long seq) {
        return seq >= 1 && seq <= entries.size() ? entries.get((int) (seq - 1)) : null;
    }

    /** The epoch of the assignment at {@code seq}; 0 for seq 0, the empty prefix every log shares. */
    long epochAt(long seq) {
        if (seq == 0) {
            return 0;
        }
        TentativeAssignment ta = get(seq);
        if (ta == null) {
            throw new IllegalArgumentException("no assignment at seq " + seq + " (last is " + lastSeq() + ")");
        }
        return ta.epoch();
    }

    /** The paper's {@code last(state.TA)}: the assignment with the greatest seq, or null when empty. */
    TentativeAssignment last() {
        return entries.isEmpty() ? null : entries.get(entries.size() - 1);
    }

    /** The seq assigned to {@code reqId} in this log, or null. */
    Long seqOf(String reqId) {
        return seqByReqId.get(reqId);
    }

    void append(TentativeAssignment ta) {
        if (ta.seq() != lastSeq() + 1) {
            throw new IllegalStateException("append of " + ta + " would leave a gap after seq " + lastSeq());
        }
        Long previous = seqByReqId.putIfAbsent(ta.reqId(), ta.seq());
        if (previous != null) {
            throw new IllegalStateException("request '" + ta.reqId() + "' would get seq " + ta.seq()
                    + " but already has seq " + previous);
        }
        entries.add(ta);
    }

    /** Removes the assignments at {@code seq} and above. */
    void truncateFrom(long seq) {
        if (seq < 1) {
            throw new IllegalArgumentException("cannot truncate from seq " + seq);
        }
        while (entries.size() >= seq) {
            TentativeAssignment removed = entries.remove(entries.size() - 1);
            seqByReqId.remove(removed.reqId());
        }
    }

    /** The assignments from {@code fromSeq} to {@code toSeq}, both inclusive and clamped to the log. */
    List<TentativeAssignment> range(long fromSeq, long toSeq) {
        long from = Math.max(1, fromSeq);
        long to = Math.min(toSeq, lastSeq());
        if (from > to) {
            return List.of();
        }
        return List.copyOf(entries.subList((int) (from - 1), (int) to));
    }
}
