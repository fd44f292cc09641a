package net.totalorder.replication.core;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The application replica's delivery engine: applies ordered invocations to the {@link StateMachine} strictly in
 * seq order, once each; answers a request applied before (ordered again: a retry that reached the sequencer after
 * its first assignment was compacted) from the {@link ReplyCache} without executing it again; hands every reply to
 * the callers waiting for its request; captures and restores snapshots.
 *
 * <p>Invariant: {@link #appliedSeq()} only grows, by one per applied seq, or jumps to a restored snapshot's seq;
 * the state machine and the reply cache always reflect exactly the seqs up to it.
 *
 * <p>Threading: everything but {@link #appliedSeq()} on the apply thread; a broken invariant throws, and the node
 * stops the replica.
 */
final class DeliveryEngine {

    private final StateMachine stateMachine;
    private final ReplyCache replies;
    /** Callers waiting for a request, by request id; shared with the node, which registers them. */
    private final Map<String, List<CompletableFuture<Reply>>> waiting;
    private final NodeObserver observer;
    private volatile long appliedSeq;
    /** Reads waiting until {@link #appliedSeq()} reaches their read index, lowest index first. */
    private final java.util.PriorityQueue<WaitingRead> reads =
            new java.util.PriorityQueue<>(java.util.Comparator.comparingLong(WaitingRead::index));

    private record WaitingRead(long index, Runnable read) {
    }

    DeliveryEngine(StateMachine stateMachine, ReplyCache replies,
                   Map<String, List<CompletableFuture<Reply>>> waiting, NodeObserver observer) {
        this.stateMachine = stateMachine;
        this.replies = replies;
        this.waiting = waiting;
        this.observer = observer;
    }

    /** The last seq applied here. Any thread. */
    long appliedSeq() {
        return appliedSeq;
    }

    ReplyCache replies() {
        return replies;
    }

    /** Applies the next assignments, in order; those at or below {@link #appliedSeq()} were applied already. */
    void apply(List<TentativeAssignment> batch) {
        for (TentativeAssignment ta : batch) {
            if (ta.seq() <= appliedSeq) {
                continue;
            }
            if (ta.seq() != appliedSeq + 1) {
                throw new IllegalStateException("seq " + ta.seq() + " handed to the delivery engine after seq "
                        + appliedSeq);
            }
            Reply earlier = replies.lookup(ta.reqId());
            Reply reply;
            if (earlier != null) {
                reply = earlier;                  // executed at its first seq: never again
                observer.answeredFromReplyCache();
            } else {
                reply = stateMachine.apply(ta);
                observer.callApplied();
                if (reply.seq() != ta.seq() || !reply.requestId().equals(ta.reqId())) {
                    throw new IllegalStateException("the state machine answered seq " + ta.seq() + " ("
                            + ta.reqId() + ") with the reply of seq " + reply.seq() + " (" + reply.requestId() + ")");
                }
                replies.record(reply);
            }
            appliedSeq = ta.seq();
            complete(ta.reqId(), reply);
        }
        runReads();
    }

    /**
     * Runs {@code read} once every seq up to {@code index} is applied: now if it is, else right after the apply that
     * reaches it (never in the middle of a batch's invocation). The node bounds how many wait.
     */
    void runWhenApplied(long index, Runnable read) {
        reads.add(new WaitingRead(index, read));
        runReads();
    }

    private void runReads() {
        while (!reads.isEmpty() && reads.peek().index() <= appliedSeq) {
            reads.poll().read().run();
        }
    }

    /**
     * The sequencer says {@code reqId} is definitive at {@code seq}: if that is applied already (the caller came
     * after it, e.g. a late retry), answer the caller from what this replica knows of the request — its kept reply,
     * or EXPIRED at the seq it was applied at — or, when it kept nothing (a read) but its own definitive log holds
     * {@code reqId} at {@code seq} ({@code confirmed}), EXPIRED at {@code seq}. The Seq alone is not trusted: when
     * neither confirms it, nobody is answered and this returns false (a mistaken or forged Seq; the caller waits for
     * its own call, or times out and retries).
     */
    boolean resolve(String reqId, long seq, boolean confirmed) {
        if (seq > appliedSeq) {
            return true;                          // its apply will answer the caller
        }
        Reply known = replies.lookup(reqId);
        if (known == null && !confirmed) {
            return false;
        }
        if (known != null) {
            observer.answeredFromReplyCache();
        }
        complete(reqId, known != null ? known : Reply.expired(seq, reqId));
        return true;
    }

    /** A snapshot at {@link #appliedSeq()}: frozen now, written by {@link Frozen#write()} on another thread. */
    Frozen capture() {
        return new Frozen(appliedSeq, replies.contents(), stateMachine.capture());
    }

    /** Replaces the state, the reply cache and the applied seq with a snapshot's; answers callers it covers. */
    void restore(SnapshotFormat.Decoded snapshot) throws java.io.IOException {
        stateMachine.restore(snapshot.state());
        replies.restore(snapshot.cache());
        appliedSeq = snapshot.seq();
        for (String reqId : List.copyOf(waiting.keySet())) {
            Reply known = replies.lookup(reqId);
            if (known != null) {
                complete(reqId, known);
            }
        }
        runReads();
    }

    private void complete(String reqId, Reply reply) {
        List<CompletableFuture<Reply>> callers = waiting.remove(reqId);
        if (callers != null) {
            for (CompletableFuture<Reply> c : callers) {
                c.complete(reply);
            }
        }
    }

    /** A captured snapshot, to be written out. */
    record Frozen(long seq, ReplyCache.Contents cache, StateMachine.Capture state) {
        ChunkedBytes write() throws java.io.IOException {
            return SnapshotFormat.write(seq, cache, state);
        }
    }
}
