package net.totalorder.sequencer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import net.totalorder.sequencer.core.SequencerMessage.GetReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.ReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.Seq;

/**
 * The client side of the sequencer, {@code GETSEQ()} of the paper (§3): sends the request to one replica and
 * sets a timeout; when it expires, selects the next replica cyclically and sends again, until a reply. A
 * {@link NotPrimary} answer carrying a leader hint redirects at once; one without a hint waits
 * {@code retryBackoffMillis} before trying the next replica, so that a leaderless moment is not a message storm.
 *
 * <p>Every request ends with exactly one call of its callback with the definitive seq (P2, P5), unless
 * {@link #cancel}led. A second {@link #getSeq} for a request still pending joins it. The replica that answered
 * last is tried first for the next request (once a request to it timed out, the next one in cyclic order). A
 * {@link #readIndex} request is sent and retried the same way, and ends with one call of its callback with the read
 * index the primary gave; read ids and request ids are apart.
 *
 * <p>A request is sent when it is made, never held back for the answer to an earlier one: the requests one executor
 * run sends to a member already leave in one network message ({@link BatchingTransport}). Holding them until the
 * next answer (as this client once did, to send fewer messages) made them miss the primary's next round, because
 * answers come when a round ends: it cost 10–16 % of the sequencer benchmark's throughput at 16 clients and in
 * durable mode, and saved 8 % only at 64 clients in memory, where the machine is saturated (README, Benchmarks).
 *
 * <p>Not thread-safe: call on one serial executor, the one running the scheduler's tasks and delivering messages.
 */
public final class SequencerClient {

    private final List<String> replicas;
    private final Transport transport;
    private final Scheduler scheduler;
    private final long timeoutMillis;
    private final long retryBackoffMillis;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, Pending> pendingReads = new HashMap<>();
    private int preferred;

    public SequencerClient(List<String> replicas, Transport transport, Scheduler scheduler, long timeoutMillis,
                           long retryBackoffMillis) {
        if (replicas == null || replicas.isEmpty()) {
            throw new IllegalArgumentException("a sequencer client needs at least one replica");
        }
        if (timeoutMillis <= 0 || retryBackoffMillis < 0) {
            throw new IllegalArgumentException("timeout must be positive and backoff non-negative");
        }
        this.replicas = List.copyOf(replicas);
        this.transport = transport;
        this.scheduler = scheduler;
        this.timeoutMillis = timeoutMillis;
        this.retryBackoffMillis = retryBackoffMillis;
    }

    /**
     * Asks for the sequence number of {@code reqId}.
     *
     * @throws IllegalArgumentException before anything is sent, for a null, empty or oversized request id or
     *                                  payload (limits in {@link TentativeAssignment})
     */
    public void getSeq(String reqId, byte[] payload, LongConsumer onSeq) {
        TentativeAssignment.validateRequest(reqId, payload);
        if (onSeq == null) {
            throw new IllegalArgumentException("callback is null");
        }
        Pending existing = pending.get(reqId);
        if (existing != null) {
            existing.callbacks.add(onSeq);
            return;
        }
        Pending p = new Pending(reqId, new GetSeq(reqId, payload.clone()), pending, preferred);
        p.callbacks.add(onSeq);
        pending.put(reqId, p);
        send(p);
    }

    /**
     * Asks the primary for a read index under {@code readId} (unique among this client's reads); {@code onIndex}
     * gets it once.
     *
     * @throws IllegalArgumentException before anything is sent, for a null, empty or oversized read id, or one
     *                                  pending already
     */
    public void readIndex(String readId, LongConsumer onIndex) {
        TentativeAssignment.validateRequestId(readId);
        if (onIndex == null || pendingReads.containsKey(readId)) {
            throw new IllegalArgumentException(onIndex == null ? "callback is null" : "read " + readId
                    + " is pending already");
        }
        Pending p = new Pending(readId, new GetReadIndex(readId), pendingReads, preferred);
        p.callbacks.add(onIndex);
        pendingReads.put(readId, p);
        send(p);
    }

    /** Stops retrying {@code reqId}; its callbacks are not called. The request may still have been ordered. */
    public void cancel(String reqId) {
        stop(pending.remove(reqId));
    }

    /** Stops retrying read {@code readId}; its callback is not called. */
    public void cancelRead(String readId) {
        stop(pendingReads.remove(readId));
    }

    public int pendingCount() {
        return pending.size();
    }

    public void onMessage(String from, SequencerMessage message) {
        if (message instanceof Seq seq) {
            answered(from, pending.remove(seq.reqId()), seq.seq());
        } else if (message instanceof ReadIndex index) {
            answered(from, pendingReads.remove(index.readId()), index.seq());
        } else if (message instanceof NotPrimary notPrimary) {
            onNotPrimary(from, pending.get(notPrimary.reqId()), notPrimary);
            onNotPrimary(from, pendingReads.get(notPrimary.reqId()), notPrimary);
        }
    }

    /** {@code p} (if any) is no longer waited for at the replica it was sent to: its timer stops. */
    private void stop(Pending p) {
        if (p == null) {
            return;
        }
        if (p.timer != null) {
            p.timer.cancel();
        }
        p.sentTo = -1;
    }

    private void answered(String from, Pending p, long seq) {
        if (p == null) {
            return;                           // duplicate, or cancelled
        }
        stop(p);
        int index = replicas.indexOf(from);
        if (index >= 0) {
            preferred = index;
        }
        for (LongConsumer callback : p.callbacks) {
            callback.accept(seq);
        }
    }

    private void onNotPrimary(String from, Pending p, NotPrimary reply) {
        if (p == null || p.sentTo < 0 || !from.equals(replicas.get(p.target))) {
            return;                           // not from the replica we are waiting for
        }
        stop(p);
        int hint = reply.leaderHint() == null ? -1 : replicas.indexOf(reply.leaderHint());
        if (hint >= 0 && hint != p.target) {
            p.target = hint;
            send(p);
        } else {
            p.target = (p.target + 1) % replicas.size();
            p.timer = scheduler.schedule(retryBackoffMillis, () -> resend(p));
        }
    }

    private void send(Pending p) {
        transport.send(replicas.get(p.target), p.request);
        p.sentTo = p.target;
        p.timer = scheduler.schedule(timeoutMillis, () -> {
            if (p.in.get(p.id) == p) {
                stop(p);
                int silent = p.target;
                p.target = (p.target + 1) % replicas.size();   // cyclic selection of the next replica
                if (preferred == silent) {
                    preferred = p.target;     // new requests follow, rather than each timing out there
                }
                send(p);
            }
        });
    }

    private void resend(Pending p) {
        if (p.in.get(p.id) == p) {
            send(p);
        }
    }

    /** A request or read still unanswered, in the map it waits in. */
    private static final class Pending {
        final String id;
        final SequencerMessage request;
        final Map<String, Pending> in;
        final List<LongConsumer> callbacks = new ArrayList<>(1);
        int target;
        /** The replica index it was last sent to while unanswered there, or -1. */
        int sentTo = -1;
        /** Its timeout at the replica it was sent to, or its backoff before the next one. */
        Scheduler.Cancellable timer;

        Pending(String id, SequencerMessage request, Map<String, Pending> in, int target) {
            this.id = id;
            this.request = request;
            this.in = in;
            this.target = target;
        }
    }
}
