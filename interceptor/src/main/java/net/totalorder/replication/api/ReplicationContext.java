package net.totalorder.replication.api;

import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.random.RandomGenerator;

/**
 * What a replicated method may use instead of the local clock, random numbers and ids (brief, invariant 5): the
 * invocation's sequence number, the time its caller stamped on it, and a random source seeded by both. All three
 * are the same on every replica that applies the invocation.
 *
 * <p>Available only on the thread applying an ordered invocation, through {@link #current()}. Immutable; the
 * random source belongs to the current invocation and is not thread-safe.
 */
public final class ReplicationContext {

    private static final ThreadLocal<ReplicationContext> CURRENT = new ThreadLocal<>();

    private final long sequence;
    private final String requestId;
    private final Instant timestamp;
    private final RandomGenerator random;

    private ReplicationContext(long sequence, String requestId, Instant timestamp) {
        this.sequence = sequence;
        this.requestId = requestId;
        this.timestamp = timestamp;
        this.random = new SplittableRandom(sequence * 0x9E3779B97F4A7C15L ^ requestId.hashCode()
                ^ timestamp.toEpochMilli());
    }

    /**
     * The context of the invocation this thread is applying.
     *
     * @throws IllegalStateException outside a replicated invocation
     */
    public static ReplicationContext current() {
        ReplicationContext c = CURRENT.get();
        if (c == null) {
            throw new IllegalStateException("ReplicationContext is only available inside a @Replicated method "
                    + "while it is being applied");
        }
        return c;
    }

    /** Whether this thread is applying an ordered invocation (so a nested replicated call must not be ordered). */
    public static boolean isApplying() {
        return CURRENT.get() != null;
    }

    /**
     * Runs {@code work} as the application of the invocation at {@code sequence}. For the delivery engine only.
     */
    public static <T> T applying(long sequence, String requestId, Instant timestamp, Callable<T> work)
            throws Exception {
        ReplicationContext previous = CURRENT.get();
        CURRENT.set(new ReplicationContext(sequence, requestId, timestamp));
        try {
            return work.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The sequence number the invocation was delivered at. */
    public long sequence() {
        return sequence;
    }

    /** The request id the invocation was ordered under. */
    public String requestId() {
        return requestId;
    }

    /** The time the calling server stamped on the invocation; use it instead of the local clock. */
    public Instant timestamp() {
        return timestamp;
    }

    /** A random source seeded from the invocation; the same numbers on every replica. */
    public RandomGenerator random() {
        return random;
    }
}
