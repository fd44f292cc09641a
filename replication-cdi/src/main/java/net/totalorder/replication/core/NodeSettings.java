package net.totalorder.replication.core;

import java.util.List;

/**
 * How one server's {@link ReplicationNode} behaves; every structure that grows with calls has its bound here.
 * Immutable; {@link #defaults} and the {@code with…} methods build one.
 *
 * @param members             the sequencer members, in the same order on every server
 * @param self                this server's name, one of {@code members}
 * @param callTimeoutMillis   a call without its reply by then fails (HTTP 503); it may still be applied later
 * @param getSeqTimeoutMillis per-replica timeout of the sequencer client before it tries the next one
 * @param retryBackoffMillis  pause of the sequencer client after a NotPrimary without a leader hint
 * @param gapTimeoutMillis    a seq known to be definitive but not delivered by then is fetched from another member
 * @param fetchBatch          assignments asked for in one fetch, and handed to the apply thread in one task
 * @param replyRetention      replies kept, in seqs: a retry within this many seqs gets the first reply
 * @param requestIdRetention  request ids kept, in seqs (≥ replyRetention): a retry within this many seqs, whose reply
 *                            was evicted, gets EXPIRED (HTTP 409) instead of a second execution
 * @param snapshotInterval    a snapshot is taken every this many applied seqs — later while the log applied since
 *                            the last one holds less than 1/{@code snapshotWriteFactor} of that snapshot's bytes; the
 *                            log is compacted up to it
 * @param snapshotLogBytes    ... or as soon as the sequencer log holds this many bytes of ids and payloads
 * @param snapshotChunkBytes  a snapshot travels to a catching-up server in chunks of at most this many bytes, one at a
 *                            time (the receiver asks for the next when it has the previous)
 * @param maxPendingCalls     calls of this server waiting for their reply; more are refused at once (HTTP 503)
 * @param maxApplyBacklog     seqs handed to the apply thread and not yet applied; the rest waits in the log
 * @param beaconMillis        how often this server tells the others how it is doing
 * @param suspectAfterMillis  a member not heard from for this long is suspected, even while in the group view
 * @param installTimeoutMillis a snapshot source silent for this long is given up for another member
 * @param snapshotWriteFactor a snapshot writes at most about this many times the log bytes applied since the previous
 *                            one (its size follows the state and the retention windows, not the calls); 0: one every
 *                            {@code snapshotInterval} seqs whatever its size
 */
public record NodeSettings(List<String> members, String self, long callTimeoutMillis, long getSeqTimeoutMillis,
                           long retryBackoffMillis, long gapTimeoutMillis, int fetchBatch, int replyRetention,
                           int requestIdRetention, long snapshotInterval, long snapshotLogBytes,
                           int snapshotChunkBytes, int maxPendingCalls, int maxApplyBacklog, long beaconMillis,
                           long suspectAfterMillis, long installTimeoutMillis, int snapshotWriteFactor) {

    /** The largest request-id retention: its index takes 24 bytes per seq. */
    public static final int MAX_REQUEST_ID_RETENTION = 50_000_000;

    public NodeSettings {
        members = List.copyOf(members);
        if (!members.contains(self)) {
            throw new IllegalArgumentException("this node '" + self + "' is not one of the members " + members);
        }
        positive("call timeout", callTimeoutMillis);
        positive("getseq timeout", getSeqTimeoutMillis);
        positive("gap timeout", gapTimeoutMillis);
        positive("fetch batch", fetchBatch);
        positive("reply retention", replyRetention);
        positive("snapshot interval", snapshotInterval);
        positive("snapshot log bytes", snapshotLogBytes);
        if (snapshotWriteFactor < 0) {
            throw new IllegalArgumentException("snapshot write factor must not be negative, was "
                    + snapshotWriteFactor);
        }
        positive("snapshot chunk bytes", snapshotChunkBytes);
        positive("max pending calls", maxPendingCalls);
        positive("max apply backlog", maxApplyBacklog);
        positive("beacon interval", beaconMillis);
        positive("suspect timeout", suspectAfterMillis);
        positive("install timeout", installTimeoutMillis);
        if (retryBackoffMillis < 0) {
            throw new IllegalArgumentException("retry backoff must not be negative, was " + retryBackoffMillis);
        }
        if (requestIdRetention < replyRetention || requestIdRetention > MAX_REQUEST_ID_RETENTION) {
            throw new IllegalArgumentException("request-id retention must be between the reply retention ("
                    + replyRetention + ") and " + MAX_REQUEST_ID_RETENTION + ", was " + requestIdRetention);
        }
        if (snapshotChunkBytes > net.totalorder.sequencer.core.SequencerCodec.MAX_CHUNK_BYTES) {
            throw new IllegalArgumentException("snapshot chunk bytes must be at most "
                    + net.totalorder.sequencer.core.SequencerCodec.MAX_CHUNK_BYTES + ", was " + snapshotChunkBytes);
        }
        if (suspectAfterMillis <= beaconMillis) {
            throw new IllegalArgumentException("the suspect timeout (" + suspectAfterMillis
                    + " ms) must exceed the beacon interval (" + beaconMillis + " ms)");
        }
    }

    /** The defaults of a server (see the README's configuration table for what each costs). */
    public static NodeSettings defaults(List<String> members, String self) {
        return new NodeSettings(members, self, 10_000, 300, 10, 200, 512, 100_000, 1_000_000, 50_000, 64L << 20,
                512 << 10, 10_000, 10_000, 100, 1_000, 2_000, 4);
    }

    public NodeSettings withTimeouts(long callTimeoutMillis, long getSeqTimeoutMillis, long gapTimeoutMillis) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    public NodeSettings withRetention(int replyRetention, int requestIdRetention) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    public NodeSettings withSnapshots(long snapshotInterval, long snapshotLogBytes, int snapshotChunkBytes) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    public NodeSettings withSnapshotWriteFactor(int snapshotWriteFactor) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    public NodeSettings withBounds(int fetchBatch, int maxPendingCalls, int maxApplyBacklog) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    public NodeSettings withLeadership(long beaconMillis, long suspectAfterMillis, long installTimeoutMillis) {
        return new NodeSettings(members, self, callTimeoutMillis, getSeqTimeoutMillis, retryBackoffMillis,
                gapTimeoutMillis, fetchBatch, replyRetention, requestIdRetention, snapshotInterval, snapshotLogBytes,
                snapshotChunkBytes, maxPendingCalls, maxApplyBacklog, beaconMillis, suspectAfterMillis,
                installTimeoutMillis, snapshotWriteFactor);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
