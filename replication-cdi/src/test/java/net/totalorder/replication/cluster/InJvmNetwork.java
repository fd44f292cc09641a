package net.totalorder.replication.cluster;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.sequencer.core.SequencerCodec;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.Transport;

/**
 * A lossy in-JVM network between {@link ReplicationNode}s, for tests with real threads: every message is encoded
 * with {@link SequencerCodec}, may be dropped (rate or filter) or duplicated, and is delivered after a random delay,
 * so messages overtake each other. Its group view is every registered node: it is told to all of them on every
 * change, as a JGroups view would be.
 *
 * <p>Thread-safe.
 */
public final class InJvmNetwork implements AutoCloseable {

    /** Which messages to drop. */
    @FunctionalInterface
    public interface DropFilter {
        boolean drop(String from, String to, SequencerMessage message);
    }

    private final ScheduledExecutorService wire = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "in-jvm-wire");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, ReplicationNode> nodes = new ConcurrentHashMap<>();
    private final SplittableRandom random;
    private volatile double lossRate;
    private volatile double duplicateRate;
    private volatile int maxDelayMillis;
    private volatile DropFilter dropFilter = (from, to, m) -> false;

    public InJvmNetwork(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public void setConditions(double lossRate, double duplicateRate, int maxDelayMillis) {
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.maxDelayMillis = maxDelayMillis;
    }

    public void setDropFilter(DropFilter filter) {
        this.dropFilter = filter;
    }

    void register(String name, ReplicationNode node) {
        nodes.put(name, node);
        announceView();
    }

    void unregister(String name) {
        nodes.remove(name);
        announceView();
    }

    Transport transportFor(String from) {
        return (to, message) -> send(from, to, message);
    }

    private synchronized void announceView() {
        List<String> view = nodes.keySet().stream().sorted().toList();
        nodes.values().forEach(n -> n.viewChanged(view));
    }

    private void send(String from, String to, SequencerMessage message) {
        byte[] bytes = SequencerCodec.encode(message);
        int copies;
        long[] delays;
        synchronized (random) {
            if (dropFilter.drop(from, to, message) || random.nextDouble() < lossRate) {
                return;
            }
            copies = random.nextDouble() < duplicateRate ? 2 : 1;
            delays = new long[copies];
            for (int i = 0; i < copies; i++) {
                delays[i] = maxDelayMillis == 0 ? 0 : random.nextInt(maxDelayMillis + 1);
            }
        }
        for (long delay : delays) {
            wire.schedule(() -> {
                ReplicationNode node = nodes.get(to);
                if (node != null) {
                    node.receive(from, SequencerCodec.decode(bytes));
                }
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        wire.shutdownNow();
    }
}
