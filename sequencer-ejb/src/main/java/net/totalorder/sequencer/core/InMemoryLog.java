package net.totalorder.sequencer.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link LogStorage} kept in memory, lost with the process; also what a {@link DurableLog} serves reads from.
 *
 * <p>Kept flat, because it holds up to a snapshot interval of assignments (tens of thousands, for seconds): each
 * assignment is a record — epoch (8), request id (4 + UTF-8), payload (4 + bytes) — appended to chunks of
 * {@value #CHUNK} bytes that are dropped whole once compaction passed all their records, and its
 * {@link TentativeAssignment} is built again when it is read after its last {@value #RECENT} seqs (a backup catching
 * up, a fetch, a new primary's adoption); the assignments appended last are kept as they came. Held as
 * objects, an assignment was six of them (assignment, id, its bytes, payload, map node, boxed seq) living long
 * enough for the garbage collector to copy and then mark them.
 *
 * <p>Invariant: the record of seq {@code s} (for {@code base < s <= lastSeq()}) starts at
 * {@code at.get(s - base - 1)}, as (chunk number &lt;&lt; 32 | offset), and its request id's hash is
 * {@code hashes.get(s - base - 1)}; records lie in seq order from the first chunk to the last, whose {@code used}
 * ends the last record; {@code index} holds exactly the held seqs, each in the probe run of its hash;
 * {@code heldBytes} is the sum, over the held assignments, of their id's and payload's bytes plus 24. Not
 * thread-safe: one replica's executor.
 */
public final class InMemoryLog implements LogStorage {

    /** Bytes per chunk: below the size at which G1 allocates an object in the old generation at once. */
    static final int CHUNK = 64 << 10;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /**
     * The assignments of the last {@value #RECENT} seqs appended, as appended: most reads — sending them to the
     * backups, delivering them once definitive — come within a few hundred seqs of their append and so need not
     * build them again. {@code recent[s % RECENT]} is the latest append of a seq congruent to {@code s}; a held seq
     * whose slot holds that seq finds there its held assignment (any later append of it would have overwritten it).
     */
    private static final int RECENT = 4096;
    private final TentativeAssignment[] recent = new TentativeAssignment[RECENT];
    private final ArrayList<Chunk> chunks = new ArrayList<>();
    /** The number of {@code chunks.get(0)}; numbers are never reused, so a position names one record for good. */
    private long firstChunk = 1;
    private final LongRing at = new LongRing();
    private final LongRing hashes = new LongRing();
    private final SeqIndex index = new SeqIndex();
    private long base;
    private long baseEpoch;
    private long heldBytes;
    private HardState hardState = HardState.NONE;

    /** Whole records; {@code lastSeq} is the seq of the last one. */
    private static final class Chunk {
        final byte[] bytes;
        int used;
        long lastSeq;

        Chunk(byte[] bytes) {
            this.bytes = bytes;
        }
    }

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
        return base + at.size();
    }

    @Override
    public TentativeAssignment get(long seq) {
        if (seq <= base || seq > lastSeq()) {
            return null;
        }
        TentativeAssignment appended = recent[(int) (seq % RECENT)];
        if (appended != null && appended.seq() == seq) {
            return appended;
        }
        long position = at.get((int) (seq - base - 1));
        byte[] bytes = chunk(position).bytes;
        int offset = (int) position;
        long epoch = (long) LONG.get(bytes, offset);
        int idLength = (int) INT.get(bytes, offset + 8);
        String reqId = new String(bytes, offset + 12, idLength, StandardCharsets.UTF_8);
        int payloadAt = offset + 12 + idLength;
        int payloadLength = (int) INT.get(bytes, payloadAt);
        byte[] payload = Arrays.copyOfRange(bytes, payloadAt + 4, payloadAt + 4 + payloadLength);
        return new TentativeAssignment(reqId, seq, epoch, payload);
    }

    @Override
    public long epochAt(long seq) {
        if (seq == base) {
            return baseEpoch;
        }
        if (seq < base || seq > lastSeq()) {
            throw new IllegalArgumentException("no assignment at seq " + seq + " (held: " + base + ".." + lastSeq()
                    + ")");
        }
        long position = at.get((int) (seq - base - 1));
        return (long) LONG.get(chunk(position).bytes, (int) position);
    }

    @Override
    public Long seqOf(String reqId) {
        long latest = index.latest(RequestIdHash.of(reqId), reqId.getBytes(StandardCharsets.UTF_8));
        return latest == 0 ? null : latest;
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
            TentativeAssignment ta = get(s);
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
        byte[] id = ta.reqId().getBytes(StandardCharsets.UTF_8);
        byte[] payload = ta.payload();
        int length = 8 + 4 + id.length + 4 + payload.length;
        Chunk tail = room(length);
        int offset = tail.used;
        LONG.set(tail.bytes, offset, ta.epoch());
        INT.set(tail.bytes, offset + 8, id.length);
        System.arraycopy(id, 0, tail.bytes, offset + 12, id.length);
        INT.set(tail.bytes, offset + 12 + id.length, payload.length);
        System.arraycopy(payload, 0, tail.bytes, offset + 16 + id.length, payload.length);
        tail.used += length;
        tail.lastSeq = ta.seq();
        at.addLast((firstChunk + chunks.size() - 1) << 32 | offset);
        long hash = RequestIdHash.of(ta.reqId());
        hashes.addLast(hash);
        index.add(hash, ta.seq());
        heldBytes += id.length + payload.length + 24L;
        recent[(int) (ta.seq() % RECENT)] = ta;
    }

    @Override
    public void truncateFrom(long seq) {
        if (seq <= base) {
            throw new IllegalArgumentException("cannot truncate from seq " + seq + ": seqs up to " + base
                    + " are compacted");
        }
        if (seq > lastSeq()) {
            return;
        }
        for (long s = lastSeq(); s >= seq; s--) {
            forget(s);
        }
        long position = at.get((int) (seq - base - 1));
        int keep = (int) ((position >>> 32) - firstChunk);
        while (chunks.size() > keep + 1) {
            chunks.remove(chunks.size() - 1);
        }
        Chunk last = chunks.get(keep);
        last.used = (int) position;
        last.lastSeq = seq - 1;
        at.truncate((int) (seq - base - 1));
        hashes.truncate((int) (seq - base - 1));
        if (last.used == 0) {
            chunks.remove(keep);                  // keeps every chunk non-empty, so lastSeq means a record
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
        for (long s = base + 1; s <= seq; s++) {
            forget(s);
        }
        while (!chunks.isEmpty() && chunks.get(0).lastSeq <= seq) {
            chunks.remove(0);
            firstChunk++;
        }
        at.removeFirst((int) (seq - base));
        hashes.removeFirst((int) (seq - base));
        base = seq;
        baseEpoch = newBaseEpoch;
    }

    @Override
    public void resetTo(long seq, long epoch) {
        chunks.clear();
        Arrays.fill(recent, null);
        at.truncate(0);
        hashes.truncate(0);
        index.clear();
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

    /** Chunks held (diagnostics and tests): follows the held records, not the calls that passed. */
    int chunks() {
        return chunks.size();
    }

    private Chunk chunk(long position) {
        return chunks.get((int) ((position >>> 32) - firstChunk));
    }

    /** The last chunk, or a new one, with room for {@code length} more bytes. */
    private Chunk room(int length) {
        if (!chunks.isEmpty()) {
            Chunk tail = chunks.get(chunks.size() - 1);
            if (tail.bytes.length - tail.used >= length) {
                return tail;
            }
        }
        Chunk fresh = new Chunk(new byte[Math.max(CHUNK, length)]);
        chunks.add(fresh);
        return fresh;
    }

    /** Takes the held seq {@code s} out of the index and the byte count (its record stays until dropped). */
    private void forget(long s) {
        int i = (int) (s - base - 1);
        index.remove(hashes.get(i), s);
        long position = at.get(i);
        byte[] bytes = chunk(position).bytes;
        int offset = (int) position;
        int idLength = (int) INT.get(bytes, offset + 8);
        int payloadLength = (int) INT.get(bytes, offset + 12 + idLength);
        heldBytes -= idLength + payloadLength + 24L;
    }

    /** Whether the record of the held seq {@code s} carries the request id whose UTF-8 bytes are {@code id}. */
    private boolean holds(long s, byte[] id) {
        long position = at.get((int) (s - base - 1));
        byte[] bytes = chunk(position).bytes;
        int offset = (int) position;
        int idLength = (int) INT.get(bytes, offset + 8);
        return Arrays.equals(bytes, offset + 12, offset + 12 + idLength, id, 0, id.length);
    }

    /**
     * The held seqs by the hash of their request id: open addressing, linear probing, no tombstones (a removal
     * shifts its probe run back); at most half full. A hash names candidates; the record tells which one is the id.
     */
    private final class SeqIndex {
        private static final int INITIAL = 1 << 10;
        private long[] table = new long[INITIAL];
        private int count;

        void add(long hash, long seq) {
            if (++count * 2 > table.length) {
                grow();
            }
            insert(table, hash, seq);
        }

        /** The greatest held seq whose request id has {@code hash} and the UTF-8 bytes {@code id}, or 0. */
        long latest(long hash, byte[] id) {
            long best = 0;
            int mask = table.length - 1;
            for (int i = home(hash, mask); table[i] != 0; i = (i + 1) & mask) {
                long s = table[i];
                if (s > best && hashOf(s) == hash && holds(s, id)) {
                    best = s;
                }
            }
            return best;
        }

        void remove(long hash, long seq) {
            int mask = table.length - 1;
            int i = home(hash, mask);
            while (table[i] != seq) {
                if (table[i] == 0) {
                    throw new IllegalStateException("seq " + seq + " is not in the request-id index");
                }
                i = (i + 1) & mask;
            }
            int j = i;
            while (true) {
                j = (j + 1) & mask;
                if (table[j] == 0) {
                    break;
                }
                if (!LinearProbing.staysPut(i, j, home(hashOf(table[j]), mask))) {
                    table[i] = table[j];
                    i = j;
                }
            }
            table[i] = 0;
            count--;
        }

        void clear() {
            table = new long[INITIAL];
            count = 0;
        }

        private void grow() {
            long[] bigger = new long[table.length * 2];
            for (long s : table) {
                if (s != 0) {
                    insert(bigger, hashOf(s), s);
                }
            }
            table = bigger;
        }

        private void insert(long[] into, long hash, long seq) {
            int mask = into.length - 1;
            int i = home(hash, mask);
            while (into[i] != 0) {
                i = (i + 1) & mask;
            }
            into[i] = seq;
        }

        private long hashOf(long seq) {
            return hashes.get((int) (seq - base - 1));
        }

        private int home(long hash, int mask) {
            return (int) (hash ^ (hash >>> 32)) & mask;
        }
    }

    /** A growable ring of longs: appended at the end, removed from either end. */
    private static final class LongRing {
        private long[] values = new long[1 << 10];
        private int head;
        private int size;

        int size() {
            return size;
        }

        long get(int i) {
            return values[(head + i) & (values.length - 1)];
        }

        void addLast(long v) {
            if (size == values.length) {
                long[] bigger = new long[values.length * 2];
                for (int i = 0; i < size; i++) {
                    bigger[i] = get(i);
                }
                values = bigger;
                head = 0;
            }
            values[(head + size++) & (values.length - 1)] = v;
        }

        void removeFirst(int n) {
            head = (head + n) & (values.length - 1);
            size -= n;
        }

        void truncate(int newSize) {
            size = newSize;
        }
    }
}
