package net.totalorder.sequencer.core;

import java.util.List;

/**
 * A log kept on durable storage whose held entries are also kept in memory, where every read is served from: what
 * durable logs share. A subclass writes to its storage and moves {@link #durableLastSeq} on each sync; the entries in
 * {@link #held} are bounded by compaction, as for {@link InMemoryLog}.
 *
 * <p>Not thread-safe: owned by one {@link SequencerReplica}, used on its executor.
 */
public abstract class DurableLog implements LogStorage {

    /** The held entries, as the replica wrote them (some of the last ones may not be synced yet). */
    protected final InMemoryLog held = new InMemoryLog();
    /** The end of what the last sync made durable. */
    protected long durableLastSeq;

    @Override
    public long baseSeq() {
        return held.baseSeq();
    }

    @Override
    public long baseEpoch() {
        return held.baseEpoch();
    }

    @Override
    public long lastSeq() {
        return held.lastSeq();
    }

    @Override
    public TentativeAssignment get(long seq) {
        return held.get(seq);
    }

    @Override
    public long epochAt(long seq) {
        return held.epochAt(seq);
    }

    @Override
    public Long seqOf(String reqId) {
        return held.seqOf(reqId);
    }

    @Override
    public List<TentativeAssignment> range(long fromSeq, long toSeq, long maxBytes) {
        return held.range(fromSeq, toSeq, maxBytes);
    }

    @Override
    public long heldBytes() {
        return held.heldBytes();
    }

    @Override
    public long durableLastSeq() {
        return durableLastSeq;
    }

    @Override
    public boolean durable() {
        return true;
    }
}
