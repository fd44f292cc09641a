package net.totalorder.derms.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import net.totalorder.derms.service.Derms;
import net.totalorder.replication.api.ReplicationMonitor;

/**
 * The digest of this replica's state at an applied seq, for {@code /derms/api/replica}. Computing one reads the whole
 * state between two applied calls — on the apply thread, which every replicated call waits for — so it is computed
 * again only when the applied seq moved and the last one is at least {@value #MIN_INTERVAL_MILLIS} ms old: however
 * many requests ask, the apply thread spends at most one digest per {@value #MIN_INTERVAL_MILLIS} ms on them, and
 * an idle replica answers from the digest of its current seq. Thread-safe: one computation at a time.
 */
@ApplicationScoped
public class AppliedDigest {

    static final long MIN_INTERVAL_MILLIS = 100;

    /** The digest of the state right after {@code seq} was applied. */
    public record At(long seq, String digest) {
    }

    @Inject
    Derms derms;
    @Inject
    ReplicationMonitor replication;

    private At last;
    private long computedAtNanos;

    synchronized At current() throws Exception {
        long now = System.nanoTime();
        boolean moved = last == null || replication.status().appliedSeq() != last.seq();
        if (moved && (last == null || now - computedAtNanos >= MIN_INTERVAL_MILLIS * 1_000_000)) {
            last = replication.readApplied(seq -> new At(seq, derms.digest()));
            computedAtNanos = now;
        }
        return last;
    }
}
