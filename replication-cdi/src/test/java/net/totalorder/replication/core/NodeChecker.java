package net.totalorder.replication.core;

import java.util.HashMap;
import java.util.Map;


/**
 * Checks what the simulated servers do against what replication promises, as it happens:
 * <ul>
 * <li>One history: every server that executes at a seq executes the same request there and reaches the same state
 * (so every replica's applied history is a prefix of one sequence, snapshots included).</li>
 * <li>Exactly once: a request is executed at one seq only — unless it came back more than the request-id retention
 * later, which the documented limit allows.</li>
 * <li>First reply: every answer is the reply of an execution of that very request (so a retry within the window
 * gets the first reply), or EXPIRED naming its seq.</li>
 * <li>Every acknowledged call was executed ({@link #assertAcknowledgedExecuted}).</li>
 * <li>Linearizable reads ({@link #onRead}): a read without a log entry saw the state after some seq, exactly as the
 * replicas had it there, and that seq covers every call acknowledged before the read was issued.</li>
 * </ul>
 * A violation throws {@link AssertionError} naming what broke. Single-threaded.
 */
final class NodeChecker {

    private final long requestIdRetention;
    private final Map<Long, String> executedAt = new HashMap<>();
    private final Map<String, Long> executionSeq = new HashMap<>();
    /** Every execution of each request: seq → state after it (which is its reply's value). */
    private final Map<String, Map<Long, String>> executionsOf = new HashMap<>();
    /** The seq of the last answer a caller got for each request. */
    private final Map<String, Long> answered = new HashMap<>();
    /** The state after each executed seq (reads take none in between: the state after s is the entry at or below). */
    private final java.util.TreeMap<Long, String> stateAfter = new java.util.TreeMap<>();
    private long highestAcknowledged;
    private long linearizableReads;
    private long executions;
    private long retriesAnswered;
    private long expiredAnswers;

    NodeChecker(long requestIdRetention) {
        this.requestIdRetention = requestIdRetention;
    }

    void onExecuted(String server, long seq, String reqId, String stateAfter) {
        executions++;
        if (Boolean.getBoolean("debug.executions")) {
            System.err.println("EXEC " + server + " seq " + seq + " " + reqId + " " + stateAfter);
        }
        String what = reqId + " -> " + stateAfter;
        String known = executedAt.putIfAbsent(seq, what);
        if (known != null && !known.equals(what)) {
            throw new AssertionError("replicas diverge at seq " + seq + ": " + known + ", but at " + server + " "
                    + what);
        }
        Long before = executionSeq.get(reqId);
        if (before != null && before != seq && Math.abs(seq - before) < requestIdRetention) {
            throw new AssertionError("exactly-once violated: " + reqId + " executed at seq " + before + " and, at "
                    + server + ", again at seq " + seq);
        }
        if (before == null || seq < before) {
            executionSeq.put(reqId, seq);         // the first execution (a second one is allowed only far later)
        }
        executionsOf.computeIfAbsent(reqId, k -> new HashMap<>()).put(seq, stateAfter);
        this.stateAfter.put(seq, stateAfter);
    }

    /**
     * A read without a log entry issued when calls up to seq {@code floor} had been acknowledged saw
     * {@code state} as the state after {@code seq}: that must be the state the replicas had after that seq, and
     * {@code seq} must be at least {@code floor} — else the read missed a call acknowledged before it began.
     */
    void onRead(String readId, long floor, long seq, String state) {
        linearizableReads++;
        if (seq < floor) {
            throw new AssertionError("stale read: " + readId + " saw the state after seq " + seq + ", but seq " + floor
                    + " had been acknowledged before it was issued");
        }
        java.util.Map.Entry<Long, String> at = stateAfter.floorEntry(seq);
        String expected = at == null ? null : at.getValue();
        if (expected != null && !expected.equals(state)) {
            throw new AssertionError("replicas diverge: read " + readId + " saw state " + state + " after seq " + seq
                    + ", but the replicas had " + expected + " there (executed at seq " + at.getKey() + ")");
        }
    }

    /** The highest seq any caller was answered from (a call acknowledged). */
    long highestAcknowledgedSeq() {
        return highestAcknowledged;
    }

    long linearizableReads() {
        return linearizableReads;
    }

    /**
     * A caller got {@code reply} for {@code reqId} (its first answer, or one to a retry). It must be the reply of an
     * execution of that very request (and two executions exist only far apart: {@link #onExecuted}), or EXPIRED
     * naming the seq of its first execution — or a later seq it was ordered again at, once even its id had aged out.
     */
    void onReply(String reqId, Reply reply) {
        if (reqId.startsWith("read:")) {
            return;                               // reads are not kept: a retried read may run again
        }
        Map<Long, String> executed = executionsOf.get(reqId);
        Long first = executionSeq.get(reqId);
        highestAcknowledged = Math.max(highestAcknowledged, reply.seq());
        boolean again = answered.put(reqId, reply.seq()) != null;
        if (again) {
            retriesAnswered++;
        }
        if (reply.outcome() == Reply.Outcome.EXPIRED) {
            expiredAnswers++;
            if (first == null || reply.seq() < first) {
                throw new AssertionError("a retry of " + reqId + " was told it was applied at seq " + reply.seq()
                        + (first == null ? ", but it was never executed" : ", but it was first executed at " + first));
            }
        } else if (executed == null || !reply.value().equals(executed.get(reply.seq()))) {
            throw new AssertionError((again ? "a retry of " : "a call of ") + reqId + " got " + reply.describe()
                    + ", which is no execution of it: it was executed " + executed);
        }
    }

    void assertAcknowledgedExecuted() {
        for (Map.Entry<String, Long> e : answered.entrySet()) {
            if (!executionSeq.containsKey(e.getKey())) {
                throw new AssertionError("acknowledged call " + e.getKey() + " (answered from seq " + e.getValue()
                        + ") was never executed");
            }
        }
    }

    long executions() {
        return executions;
    }

    long retriesAnswered() {
        return retriesAnswered;
    }

    long expiredAnswers() {
        return expiredAnswers;
    }

    long highestExecutedSeq() {
        return executedAt.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }
}
