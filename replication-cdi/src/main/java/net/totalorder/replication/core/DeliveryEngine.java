package net.totalorder.replication.core;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The application replica's delivery engine: takes definitive assignments in any order and from any source (the
 * local sequencer replica, fetches from others), holds them back until their predecessors arrive, and applies them
 * strictly in seq order, once each, on its own apply thread; records each reply in the {@link ReplyCache} and
 * wakes the callers waiting for that seq.
 *
 * <p>Exactly once: a request id that already has a reply is not executed again, even if it were ordered twice.
 * A gap — a seq known to exist (a caller was told of it, or a replica reported it) that has not arrived — is
 * reported by {@link #firstMissing} so the node can fetch it.
 *
 * <p>Threading: {@link #onDefinitive}, {@link #noteExists} and {@link #firstMissing} on the node's protocol
 * executor; the apply thread runs {@link Applier} and local reads; {@link #awaitApplied}, {@link #replies()} and
 * {@link #appliedSeq()} from any thread.
 */
public final class DeliveryEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DeliveryEngine.class.getName());

    private final Applier applier;
    private final ReplyCache replies;
    private final HoldbackQueue holdback = new HoldbackQueue(0);
    private final LinkedBlockingQueue<Runnable> applyQueue = new LinkedBlockingQueue<>();
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> appliedSignals = new ConcurrentHashMap<>();
    private final Thread applyThread;
    private volatile long appliedSeq;
    private volatile boolean closed;

    // protocol executor only
    private long knownUpTo;
    private long lastProgressAt;

    public DeliveryEngine(String name, Applier applier, int replyRetention) {
        this.applier = applier;
        this.replies = new ReplyCache(replyRetention);
        this.applyThread = new Thread(this::applyLoop, "replication-apply-" + name);
        this.applyThread.setDaemon(true);
        this.applyThread.start();
    }

    /** A definitive assignment, possibly out of order or a duplicate. Protocol executor. */
    public void onDefinitive(TentativeAssignment ta, long nowMillis) {
        noteExists(ta.seq());
        List<TentativeAssignment> ready = holdback.offer(ta);
        if (!ready.isEmpty()) {
            lastProgressAt = nowMillis;
            for (TentativeAssignment next : ready) {
                applyQueue.add(() -> apply(next));
            }
        }
    }

    /** Some replica knows that seqs up to {@code seq} are definitive. Protocol executor. */
    public void noteExists(long seq) {
        if (seq > knownUpTo) {
            knownUpTo = seq;
        }
    }

    /**
     * The first seq to fetch when a gap has lasted {@code gapTimeoutMillis} without progress, else 0. Calling it
     * with a gap restarts the timer, so a fetch is asked for at most once per timeout. Protocol executor.
     */
    public long firstMissing(long nowMillis, long gapTimeoutMillis) {
        long released = holdback.releasedUpTo();
        boolean gap = knownUpTo > released || holdback.lowestHeld() > released + 1;
        if (!gap) {
            lastProgressAt = nowMillis;
            return 0;
        }
        if (nowMillis - lastProgressAt < gapTimeoutMillis) {
            return 0;
        }
        lastProgressAt = nowMillis;
        return released + 1;
    }

    /** Completes once the invocation at {@code seq} (and all before it) has been applied here. Any thread. */
    public CompletableFuture<Void> awaitApplied(long seq) {
        if (appliedSeq >= seq) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> signal = appliedSignals.computeIfAbsent(seq, k -> new CompletableFuture<>());
        if (appliedSeq >= seq) {              // applied between the check and the registration
            appliedSignals.remove(seq, signal);
            signal.complete(null);
        }
        return signal;
    }

    /** Runs {@code read} on the apply thread between two ordered invocations, so it sees a consistent state. */
    public <T> CompletableFuture<T> runBetweenInvocations(Callable<T> read) {
        CompletableFuture<T> result = new CompletableFuture<>();
        applyQueue.add(() -> {
            try {
                result.complete(read.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    public ReplyCache replies() {
        return replies;
    }

    public long appliedSeq() {
        return appliedSeq;
    }

    @Override
    public void close() {
        closed = true;
        applyThread.interrupt();
    }

    private void apply(TentativeAssignment ta) {
        if (replies.get(ta.reqId()) == null) {
            Reply reply;
            try {
                reply = applier.apply(ta);
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, "applier failed on seq " + ta.seq(), e);
                reply = Reply.rejected(ta.seq(), ta.reqId(), "", "applier failed: " + e);
            }
            replies.put(reply);
        }
        // else: ordered twice under one request id; it was executed at its first seq and is not executed again.
        appliedSeq = ta.seq();
        CompletableFuture<Void> signal = appliedSignals.remove(ta.seq());
        if (signal != null) {
            signal.complete(null);
        }
    }

    private void applyLoop() {
        while (!closed) {
            try {
                applyQueue.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
