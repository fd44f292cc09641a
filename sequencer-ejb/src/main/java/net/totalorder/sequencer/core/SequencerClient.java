package net.totalorder.sequencer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;

/**
 * The client side of the sequencer, {@code GETSEQ()} of the paper (§3): sends the request to one replica and
 * sets a timeout; when it expires, selects the next replica cyclically and sends again, until a reply. A
 * {@link NotPrimary} answer carrying a leader hint redirects at once; one without a hint waits
 * {@code retryBackoffMillis} before trying the next replica, so that a leaderless moment is not a message storm.
 *
 * <p>Every request ends with exactly one call of its callback with the definitive seq (P2, P5), unless
 * {@link #cancel}led. A second {@link #getSeq} for a request still pending joins it. The replica that answered
 * last is tried first for the next request.
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
        Pending p = new Pending(new GetSeq(reqId, payload.clone()), preferred);
        p.callbacks.add(onSeq);
        pending.put(reqId, p);
        send(p);
    }

    /** Stops retrying {@code reqId}; its callbacks are not called. The request may still have been ordered. */
    public void cancel(String reqId) {
        Pending p = pending.remove(reqId);
        if (p != null && p.timer != null) {
            p.timer.cancel();
        }
    }

    public int pendingCount() {
        return pending.size();
    }

    public void onMessage(String from, SequencerMessage message) {
        if (message instanceof Seq seq) {
            onSeq(from, seq);
        } else if (message instanceof NotPrimary notPrimary) {
            onNotPrimary(from, notPrimary);
        }
    }

    private void onSeq(String from, Seq reply) {
        Pending p = pending.remove(reply.reqId());
        if (p == null) {
            return;                           // duplicate, or cancelled
        }
        p.timer.cancel();
        int index = replicas.indexOf(from);
        if (index >= 0) {
            preferred = index;
        }
        for (LongConsumer callback : p.callbacks) {
            callback.accept(reply.seq());
        }
    }

    private void onNotPrimary(String from, NotPrimary reply) {
        Pending p = pending.get(reply.reqId());
        if (p == null || !from.equals(replicas.get(p.target))) {
            return;                           // not from the replica we are waiting for
        }
        p.timer.cancel();
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
        p.timer = scheduler.schedule(timeoutMillis, () -> {
            p.target = (p.target + 1) % replicas.size();   // cyclic selection of the next replica
            resend(p);
        });
    }

    private void resend(Pending p) {
        if (pending.get(p.request.reqId()) == p) {
            send(p);
        }
    }

    private static final class Pending {
        final GetSeq request;
        final List<LongConsumer> callbacks = new ArrayList<>(1);
        int target;
        Scheduler.Cancellable timer;

        Pending(GetSeq request, int target) {
            this.request = request;
            this.target = target;
        }
    }
}
