package net.totalorder.replication.api;

import jakarta.enterprise.context.RequestScoped;

/**
 * The sequence number at which the current request's last replicated call was applied (e.g. for an
 * {@code X-Replication-Seq} response header); a retry answered from the recorded reply gives the first call's
 * number. Request-scoped; one request, one thread.
 */
@RequestScoped
public class ReplicationReceipt {

    private long sequence;

    /** The seq of this request's last replicated call, or 0 when it made none. */
    public long sequence() {
        return sequence;
    }

    /** Recorded by the replication engine. */
    public void record(long sequence) {
        this.sequence = sequence;
    }
}
