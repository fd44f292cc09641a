package net.totalorder.replication.core;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What exactly-once needs to remember (as Apache Ratis' RetryCache): the reply of every request applied in the
 * last {@code replyRetention} seqs, by request id, so that a retry — on this or any replica, which hold the same
 * replies — gets the first reply without executing again; and, for the last {@code requestIdRetention} seqs, the
 * seq each request id was applied at ({@link RequestIdIndex}), so that a retry whose reply was evicted gets
 * {@link Reply.Outcome#EXPIRED} instead of a second execution. Read-only invocations are never retried by id and
 * are not kept.
 *
 * <p>Retention is counted in seqs, not time, so every replica evicts the same entries at the same point, and the
 * cache is part of every snapshot. Both bounds must outlast the clients' retry window (see
 * {@code replication.reply-retention} and {@code replication.request-id-retention}); a retry later than the
 * request-id retention cannot be told from a new call.
 *
 * <p>Written by the apply thread only; {@link #get} from any thread.
 */
public final class ReplyCache {

    private final int replyRetention;
    private final ConcurrentHashMap<String, Reply> byRequest = new ConcurrentHashMap<>();
    private final ArrayDeque<Reply> inSeqOrder = new ArrayDeque<>();
    private final RequestIdIndex ids;

    public ReplyCache(int replyRetention, int requestIdRetention) {
        if (replyRetention < 1) {
            throw new IllegalArgumentException("reply retention must be at least 1, was " + replyRetention);
        }
        if (requestIdRetention < replyRetention) {
            throw new IllegalArgumentException("request-id retention (" + requestIdRetention
                    + ") must be at least the reply retention (" + replyRetention + ")");
        }
        this.replyRetention = replyRetention;
        this.ids = new RequestIdIndex(requestIdRetention);
    }

    /** The kept reply of {@code requestId}, or null when none is kept here. Any thread. */
    public Reply get(String requestId) {
        return byRequest.get(requestId);
    }

    /**
     * What to answer a request applied before: its kept reply, {@link Reply#expired} when only its seq is still
     * known, or null when it is unknown (never applied, or beyond the request-id retention). Apply thread.
     */
    Reply lookup(String requestId) {
        Reply kept = byRequest.get(requestId);
        if (kept != null) {
            return kept;
        }
        long seq = ids.seqOf(requestId);
        return seq > 0 ? Reply.expired(seq, requestId) : null;
    }

    /** Records the reply of the invocation just applied (unless read-only), then evicts. Apply thread. */
    void record(Reply reply) {
        if (!reply.readOnly()) {
            byRequest.put(reply.requestId(), reply);
            inSeqOrder.addLast(reply);
            ids.put(reply.seq(), reply.requestId());
        }
        evictUpTo(reply.seq());
    }

    private void evictUpTo(long appliedSeq) {
        while (!inSeqOrder.isEmpty() && inSeqOrder.peekFirst().seq() <= appliedSeq - replyRetention) {
            Reply old = inSeqOrder.pollFirst();
            byRequest.remove(old.requestId(), old);
        }
    }

    /** What a snapshot keeps: the retained replies in seq order and the request-id window. Apply thread. */
    Contents contents() {
        return new Contents(List.copyOf(inSeqOrder), ids.window());
    }

    /** Replaces everything with {@code contents} (a snapshot's, possibly another replica's). Apply thread. */
    void restore(Contents contents) {
        byRequest.clear();
        inSeqOrder.clear();
        for (Reply r : contents.replies()) {
            Reply kept = r.withoutInstance();
            byRequest.put(kept.requestId(), kept);
            inSeqOrder.addLast(kept);
        }
        ids.restore(contents.ids());
    }

    int size() {
        return byRequest.size();
    }

    /** The replies and request ids a snapshot carries. */
    record Contents(List<Reply> replies, RequestIdIndex.Window ids) {
    }
}
