package net.totalorder.sequencer.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Collects what the protocol objects of one serial executor send during a run of that executor's queue, and hands
 * it to the underlying {@link Transport} per destination, in sending order, once the tasks queued before the first
 * collected message have run. Under load many requests, replies and acknowledgements meet in the queue, so one
 * network message carries many of them; when the executor is idle the flush runs right after the task that sent,
 * so nothing waits for a timer.
 *
 * <p>Before anything leaves, {@code beforeFlush} runs once per flush: in durable mode it syncs the log, so that no
 * answer leaves before the state it depends on is on disk, and one fsync covers everything the run wrote (group
 * commit).
 *
 * <p>Invariant: messages to one destination leave in the order they were sent; none is held once the executor's
 * queue has drained. Not thread-safe: {@link #send} only on the executor given at construction (every protocol
 * object sends only from its executor), where the flush also runs.
 */
public final class BatchingTransport implements Transport {

    private final Transport network;
    private final Executor executor;
    private final Map<String, List<SequencerMessage>> pending = new LinkedHashMap<>();
    private boolean flushQueued;
    private Runnable beforeFlush = () -> { };

    public BatchingTransport(Transport network, Executor executor) {
        this.network = network;
        this.executor = executor;
    }

    /** Runs before each flush (on the executor); may send more, which leaves in the same flush. Set once. */
    public void beforeFlush(Runnable hook) {
        this.beforeFlush = hook;
    }

    @Override
    public void send(String to, SequencerMessage message) {
        List<SequencerMessage> forTo = pending.computeIfAbsent(to, k -> new ArrayList<>());
        forTo.add(message);
        if (forTo.size() == SequencerCodec.MAX_BATCH) {
            beforeFlush.run();
            network.send(to, List.copyOf(forTo));
            forTo.clear();
        }
        if (!flushQueued) {
            flushQueued = true;
            executor.execute(this::flush);
        }
    }

    private void flush() {
        flushQueued = false;
        beforeFlush.run();
        for (Map.Entry<String, List<SequencerMessage>> e : pending.entrySet()) {
            if (!e.getValue().isEmpty()) {
                network.send(e.getKey(), List.copyOf(e.getValue()));
            }
        }
        pending.clear();
    }
}
