package net.totalorder.replication.core;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reply of every applied request, by request id, so that a retry — on this or any replica, which holds the
 * same replies — returns the first reply without executing again (as Apache Ratis' RetryCache).
 *
 * <p>Retention is counted in sequence numbers, not time, so every replica evicts the same replies at the same
 * point: the replies of the last {@code retention} applied seqs are kept. It must outlast the clients' retry
 * window (see {@code replication.reply-retention}): a retry arriving after its reply was evicted cannot be answered
 * and fails with an error instead of executing twice.
 *
 * <p>Written by the apply thread only; read by any thread.
 */
public final class ReplyCache {

    private final int retention;
    private final ConcurrentHashMap<String, Reply> byRequest = new ConcurrentHashMap<>();
    private final ArrayDeque<Reply> inSeqOrder = new ArrayDeque<>();

    public ReplyCache(int retention) {
        if (retention < 1) {
            throw new IllegalArgumentException("reply retention must be at least 1, was " + retention);
        }
        this.retention = retention;
    }

    /** The reply of {@code requestId}, or null when it was never applied here or has been evicted. */
    public Reply get(String requestId) {
        return byRequest.get(requestId);
    }

    /** Apply thread only: records the reply of the invocation just applied, evicting the oldest beyond retention. */
    void put(Reply reply) {
        byRequest.put(reply.requestId(), reply);
        inSeqOrder.addLast(reply);
        while (!inSeqOrder.isEmpty() && inSeqOrder.peekFirst().seq() <= reply.seq() - retention) {
            Reply old = inSeqOrder.pollFirst();
            byRequest.remove(old.requestId(), old);
        }
    }

    int size() {
        return byRequest.size();
    }
}
