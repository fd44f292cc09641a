package net.totalorder.sequencer.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link LogStorage} kept in memory, lost with the process.
 *
 * <p>Invariant: {@code entries.get(i).seq() == base + i + 1}; {@code seqByReqId} maps each request id in
 * {@code entries} to its latest seq there; {@code heldBytes} is the sum of their sizes. Not thread-safe: one
 * replica's executor.
 */
public final class InMemoryLog implements LogStorage {

    private final ArrayList<TentativeAssignment> entries = new ArrayList<>();
    private final Map<String, Long> seqByReqId = new HashMap<>();
    private long base;
    private long baseEpoch;
    private long heldBytes;
    private HardState hardState = HardState.NONE;

    @Override
    public long baseSeq() {
        return base;
    }

    @Override
    public long baseEpoch() {
        return baseEpoch;
    }

    @Override
    public long lastSeq() {
        return base + entries.size();
    }

    @Override
    public TentativeAssignment get(long seq) {
        return seq > base && seq <= lastSeq() ? entries.get((int) (seq - base - 1)) : null;
    }

    @Override
    public long epochAt(long seq) {
        if (seq == base) {
            return baseEpoch;
        }
        TentativeAssignment ta = get(seq);
        if (ta == null) {
            throw new IllegalArgumentException("no assignment at seq " + seq + " (held: " + base + ".." + lastSeq()
                    + ")");
        }
        return ta.epoch();
    }

    @Override
    public Long seqOf(String reqId) {
        return seqByReqId.get(reqId);
    }

    @Override
    public List<TentativeAssignment> range(long fromSeq, long toSeq, long maxBytes) {
        long from = Math.max(base + 1, fromSeq);
        long to = Math.min(toSeq, lastSeq());
        if (from > to) {
            return List.of();
        }
        List<TentativeAssignment> out = new ArrayList<>((int) Math.min(to - from + 1, 1024));
        long bytes = 0;
        for (long s = from; s <= to && bytes < maxBytes; s++) {
            TentativeAssignment ta = entries.get((int) (s - base - 1));
            out.add(ta);
            bytes += ta.size();
        }
        return out;
    }

    @Override
    public void append(TentativeAssignment ta) {
        if (ta.seq() != lastSeq() + 1) {
            throw new IllegalStateException("append of " + ta + " would leave a gap after seq " + lastSeq());
        }
        seqByReqId.put(ta.reqId(), ta.seq());
        entries.add(ta);
        heldBytes += ta.size();
    }

    @Override
    public void truncateFrom(long seq) {
        if (seq <= base) {
            throw new IllegalArgumentException("cannot truncate from seq " + seq + ": seqs up to " + base
                    + " are compacted");
        }
        while (lastSeq() >= seq) {
            forget(entries.remove(entries.size() - 1));
        }
    }

    @Override
    public void compactUpTo(long seq) {
        if (seq <= base) {
            return;
        }
        if (seq > lastSeq()) {
            throw new IllegalArgumentException("cannot compact up to seq " + seq + ": the log ends at " + lastSeq());
        }
        long newBaseEpoch = epochAt(seq);
        List<TentativeAssignment> dropped = entries.subList(0, (int) (seq - base));
        dropped.forEach(this::forget);
        dropped.clear();
        base = seq;
        baseEpoch = newBaseEpoch;
    }

    @Override
    public void resetTo(long seq, long epoch) {
        entries.clear();
        seqByReqId.clear();
        heldBytes = 0;
        base = seq;
        baseEpoch = epoch;
    }

    @Override
    public long heldBytes() {
        return heldBytes;
    }

    @Override
    public void sync() {
        // nothing is durable in memory
    }

    @Override
    public long durableLastSeq() {
        return lastSeq();
    }

    @Override
    public boolean durable() {
        return false;
    }

    /** Always {@code LOST}: whatever a process held before its start is gone. */
    @Override
    public Origin origin() {
        return Origin.LOST;
    }

    @Override
    public HardState hardState() {
        return hardState;
    }

    @Override
    public void saveHardState(HardState state) {
        hardState = state;
    }

    private void forget(TentativeAssignment ta) {
        seqByReqId.remove(ta.reqId(), ta.seq());
        heldBytes -= ta.size();
    }
}
