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
 * <li>P3 Bijection: a seq maps to one request, a request to one seq — across all replicas and all time.</li>
 * <li>P4 Consecutiveness: every replica learns seqs 1, 2, 3, … with no gap, so A is {@code 1..max}.</li>
 * <li>P5 Termination, in runs that stabilise: {@link #assertAllDelivered}.</li>
 * </ul>
 * A violation throws {@link AssertionError} naming the property. Single-threaded.
 */
public final class SequencerChecker {

    private final Map<String, byte[]> issued = new HashMap<>();
    private final Map<Long, TentativeAssignment> definitiveBySeq = new HashMap<>();
    private final Map<String, Long> definitiveSeqByRequest = new HashMap<>();
    private final Map<String, Long> learnedUpTo = new HashMap<>();
    private final Map<String, Long> deliveries = new HashMap<>();

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
        Long seq = definitiveSeqByRequest.putIfAbsent(ta.reqId(), ta.seq());
        if (seq != null && seq != ta.seq()) {
            throw new AssertionError("P3 violated: request " + ta.reqId() + " is definitive at seq " + seq
                    + " and, at " + replica + ", at seq " + ta.seq());
        }
    }

    void onClientDelivered(String client, String reqId, long seq) {
        TentativeAssignment a = definitiveBySeq.get(seq);
        if (a == null || !a.reqId().equals(reqId)) {
            throw new AssertionError("P2 violated: " + client + " delivered seq " + seq + " for " + reqId
                    + " but A holds " + (a == null ? "nothing" : a) + " at that seq");
        }
        Long before = deliveries.putIfAbsent(client + "\u0000" + reqId, seq);
        if (before != null && before != seq) {
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
