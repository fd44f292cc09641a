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
 * <p>Once per flush the {@code syncPoint} runs: in durable mode it syncs the log, so one fsync covers everything the
 * run wrote (group commit). Messages that {@linkplain SequencerMessage#dependsOnStoredLog depend on the stored log}
 * (acknowledgements, promises) leave only after it; the ones before them in a destination's order (a primary's
 * WriteMaj, requests) leave before it, so the receivers' syncs run while the sender's does.
 *
 * <p>Invariant: messages to one destination leave in the order they were sent; none that depends on the stored log
 * leaves before the sync point that follows its sending; none is held once the executor's queue has drained. Not thread-safe: {@link #send} only on the executor given at construction (every protocol
 * object sends only from its executor), where the flush also runs.
 */
public final class BatchingTransport implements Transport {

    private final Transport network;
    private final Executor executor;
    private final Map<String, List<SequencerMessage>> pending = new LinkedHashMap<>();
    private boolean flushQueued;
    private Runnable syncPoint = () -> { };

    public BatchingTransport(Transport network, Executor executor) {
        this.network = network;
        this.executor = executor;
    }

    /**
     * Runs once per flush (on the executor), before the messages that depend on the stored log leave. What it sends
     * leaves with the next flush. Set once.
     */
    public void syncPoint(Runnable hook) {
        this.syncPoint = hook;
    }

    @Override
    public void send(String to, SequencerMessage message) {
        List<SequencerMessage> forTo = pending.computeIfAbsent(to, k -> new ArrayList<>());
        forTo.add(message);
        if (forTo.size() == SequencerCodec.MAX_BATCH) {
            List<SequencerMessage> batch = List.copyOf(forTo);
            forTo.clear();
            syncPoint.run();  // what it sends follows this batch
            network.send(to, batch);
        }
        if (!flushQueued) {
            flushQueued = true;
            executor.execute(this::flush);
        }
    }

    private void flush() {
        flushQueued = false;
        Map<String, List<SequencerMessage>> afterSync = new LinkedHashMap<>();
        for (Map.Entry<String, List<SequencerMessage>> e : pending.entrySet()) {
            List<SequencerMessage> messages = e.getValue();
            int free = 0;
            while (free < messages.size() && !messages.get(free).dependsOnStoredLog()) {
                free++;
            }
            if (free > 0) {
                network.send(e.getKey(), List.copyOf(messages.subList(0, free)));
            }
            if (free < messages.size()) {
                afterSync.put(e.getKey(), List.copyOf(messages.subList(free, messages.size())));
            }
        }
        pending.clear();
        syncPoint.run();      // what it sends is pending again: a flush is queued for it, and it follows afterSync
        afterSync.forEach(network::send);
    }
}
