package net.totalorder.sequencer.simulation;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * Checks the sequencer specification (paper §2) on everything a run shows, as it happens.
 *
 * <p>The set A of assignments is every assignment any replica reported as definitive (a superset of the paper's
 * A, which holds only those a primary wrote to a majority, so the checks are stricter than the paper asks):
 * <ul>
 * <li>P1 Assignment validity: each assignment's request was issued by a client, with that very payload.</li>
 * <li>P2 Response validity: a client delivers {@code #seq} for {@code req_id} only if {@code <req_id, #seq>} is
 * already in A; a client asking again for a request it had delivered gets the same seq.</li>
 * <li>P3 Bijection: a seq maps to one request, a request to one seq — across all replicas and all time, except
 * that a request whose first assignment has been compacted at some replica may be ordered again when it comes back
 * (no replica keeps every request id forever; the application replica answers such a repeat from its reply cache
 * without executing it again).</li>
 * <li>P4 Consecutiveness: every replica learns seqs 1, 2, 3, … with no gap, so A is {@code 1..max}; a replica that
 * takes a compacted base skips only seqs already in A.</li>
 * <li>P5 Termination, in runs that stabilise: {@link #assertAllDelivered}.</li>
 * <li>Read index: a read index given for a read is definitive (in A, or 0) and at least every seq any client had
 * delivered when the read was issued — so a read run once that seq is applied sees every call acknowledged before
 * it began (linearizability of reads without a log entry).</li>
 * </ul>
 * A violation throws {@link AssertionError} naming the property. Single-threaded.
 */
public final class SequencerChecker {

    private final Map<String, byte[]> issued = new HashMap<>();
    private final Map<Long, TentativeAssignment> definitiveBySeq = new HashMap<>();
    /** Every seq a request is definitive at: one, or more once it was ordered again after compaction. */
    private final Map<String, java.util.TreeSet<Long>> definitiveSeqsByRequest = new HashMap<>();
    private final Map<String, Long> learnedUpTo = new HashMap<>();
    private final Map<String, Long> deliveries = new HashMap<>();
    /** The highest seq any client delivered so far, and, for each read still waiting, that seq when it was issued. */
    private long maxDelivered;
    private final Map<String, Long> readFloors = new HashMap<>();
    private long readsAnswered;
    /** The highest seq any replica compacted or skipped: requests assigned up to here may be ordered again. */
    private long compactedUpTo;

    void onIssued(String reqId, byte[] payload) {
        byte[] before = issued.putIfAbsent(reqId, payload.clone());
        if (before != null && !Arrays.equals(before, payload)) {
            throw new AssertionError("test bug: request " + reqId + " issued twice with different payloads");
        }
    }

    void onDefinitive(String replica, TentativeAssignment ta) {
        long expected = learnedUpTo.getOrDefault(replica, 0L) + 1;
        if (ta.seq() != expected) {
            throw new AssertionError("P4 violated: " + replica + " learned " + ta + " as definitive after seq "
                    + (expected - 1));
        }
        learnedUpTo.put(replica, ta.seq());
        byte[] payload = issued.get(ta.reqId());
        if (payload == null) {
            throw new AssertionError("P1 violated: " + replica + " holds definitive " + ta
                    + " for a request no client issued");
        }
        if (!Arrays.equals(payload, ta.payload())) {
            throw new AssertionError("P1 violated: definitive " + ta + " at " + replica
                    + " carries a payload other than the one its client sent");
        }
        TentativeAssignment known = definitiveBySeq.putIfAbsent(ta.seq(), ta);
        if (known != null && !known.sameRequestAs(ta)) {
            throw new AssertionError("P3 violated: seq " + ta.seq() + " is definitive for " + known.reqId()
                    + " and, at " + replica + ", for " + ta.reqId());
        }
        java.util.TreeSet<Long> seqs = definitiveSeqsByRequest.computeIfAbsent(ta.reqId(),
                k -> new java.util.TreeSet<>());
        if (!seqs.isEmpty() && !seqs.contains(ta.seq())) {
            long latest = seqs.last();
            if (latest > compactedUpTo || ta.seq() < latest) {
                throw new AssertionError("P3 violated: request " + ta.reqId() + " is definitive at seq " + latest
                        + " and, at " + replica + ", at seq " + ta.seq());
            }
        }
        seqs.add(ta.seq());                   // a second seq only when ordered again after compaction
    }

    /**
     * {@code replica} took a compacted base: it reports seqs after what it learned, up to {@code upTo}, as definitive
     * without holding them. Each of them must already be in A (whoever compacted them had learned them), and the
     * skip must move forward (P4).
     */
    void onSkipped(String replica, long upTo) {
        long from = learnedUpTo.getOrDefault(replica, 0L);
        if (upTo <= from) {
            throw new AssertionError("P4 violated: " + replica + " skipped to seq " + upTo + " after learning up to "
                    + from);
        }
        for (long s = from + 1; s <= upTo; s++) {
            if (!definitiveBySeq.containsKey(s)) {
                throw new AssertionError("P4 violated: " + replica + " skipped seq " + s
                        + " as definitive, but no replica ever learned an assignment at that seq");
            }
        }
        learnedUpTo.put(replica, upTo);
        compacted(upTo);
    }

    /** Some replica's log no longer holds seqs up to {@code seq}. */
    void compacted(long seq) {
        compactedUpTo = Math.max(compactedUpTo, seq);
    }

    void onReadIssued(String readId) {
        if (readFloors.putIfAbsent(readId, maxDelivered) != null) {
            throw new AssertionError("test bug: read " + readId + " issued twice");
        }
    }

    void onReadIndex(String client, String readId, long index) {
        Long floor = readFloors.remove(readId);
        if (floor == null) {
            throw new AssertionError(client + " got a second read index for " + readId);
        }
        if (index < floor) {
            throw new AssertionError("stale read: " + client + " got read index " + index + " for " + readId
                    + ", but seq " + floor + " had been delivered before the read was issued");
        }
        if (index > 0 && !definitiveBySeq.containsKey(index)) {
            throw new AssertionError(client + " got read index " + index + " for " + readId
                    + ", which no replica holds as definitive");
        }
        readsAnswered++;
    }

    /** Reads issued and not answered yet. */
    int readsWaiting() {
        return readFloors.size();
    }

    long readsAnswered() {
        return readsAnswered;
    }

    void onClientDelivered(String client, String reqId, long seq) {
        maxDelivered = Math.max(maxDelivered, seq);
        TentativeAssignment a = definitiveBySeq.get(seq);
        if (a == null || !a.reqId().equals(reqId)) {
            throw new AssertionError("P2 violated: " + client + " delivered seq " + seq + " for " + reqId
                    + " but A holds " + (a == null ? "nothing" : a) + " at that seq");
        }
        Long before = deliveries.putIfAbsent(client + "\u0000" + reqId, seq);
        // a request ordered again after compaction is definitive at several seqs (checked above): any of them
        if (before != null && before != seq && !definitiveSeqsByRequest.get(reqId).contains(before)) {
            throw new AssertionError("P3 violated: " + client + " delivered " + reqId + " at seq " + before
                    + " and, on a retry, at seq " + seq);
        }
    }

    byte[] payloadOf(String reqId) {
        return issued.get(reqId).clone();
    }

    /** P5: every listed request was delivered by its client. */
    void assertAllDelivered(Simulation.ClientNode client) {
        for (String reqId : client.issued()) {
            if (client.delivered(reqId) == null) {
                throw new AssertionError("P5 violated: " + client.name + " never delivered a seq for " + reqId);
            }
        }
    }

    /** Number of distinct definitive assignments seen (the size of A). */
    public long definitiveCount() {
        return definitiveBySeq.size();
    }

    /** The seq a replica learned up to. */
    public long learnedUpTo(String replica) {
        return learnedUpTo.getOrDefault(replica, 0L);
    }

    /** The definitive assignment at {@code seq}, or null. */
    public TentativeAssignment definitiveAt(long seq) {
        return definitiveBySeq.get(seq);
    }
}
