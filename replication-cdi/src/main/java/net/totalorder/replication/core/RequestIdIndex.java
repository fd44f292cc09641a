package net.totalorder.replication.core;

import net.totalorder.sequencer.core.LinearProbing;
import net.totalorder.sequencer.core.RequestIdHash;

/**
 * The seq at which each request id was applied, for the last {@code capacity} seqs: what lets a replica recognise a
 * request that comes back after its reply was evicted (and answer it without executing it again). Ids are kept as
 * 64-bit hashes, 24 bytes per seq in all; two ids of one window sharing a hash (odds about 2^-64 per pair) would
 * make the second look like a repeat of the first.
 *
 * <p>Invariant: {@code seqs[slot]} is 0 or a recorded seq {@code s} with {@code slot == s % capacity};
 * {@code table} (open addressing, linear probing) holds {@code slot + 1} for every non-empty slot, and nothing
 * else. Entries older than {@code latest - capacity} are ignored by lookups and overwritten when their slot is
 * reused. Every replica records the same ids at the same seqs, so every replica answers alike.
 *
 * <p>Not thread-safe: the apply thread.
 */
final class RequestIdIndex {

    private final int capacity;
    private final long[] hashes;
    private final long[] seqs;
    private final int[] table;
    private final int mask;
    private long latest;

    RequestIdIndex(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("request-id retention must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.hashes = new long[capacity];
        this.seqs = new long[capacity];
        this.table = new int[Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1];
        this.mask = table.length - 1;
    }

    int capacity() {
        return capacity;
    }

    /** The last seq recorded, or 0. */
    long latest() {
        return latest;
    }

    /** Records that {@code reqId} was applied at {@code seq}, above every seq recorded before. */
    void put(long seq, String reqId) {
        put(seq, RequestIdHash.of(reqId));
    }

    private void put(long seq, long hash) {
        if (seq <= latest) {
            throw new IllegalStateException("seq " + seq + " recorded after seq " + latest);
        }
        latest = seq;
        int slot = (int) (seq % capacity);
        if (seqs[slot] != 0) {
            unlink(slot);
        }
        hashes[slot] = hash;
        seqs[slot] = seq;
        int i = home(hash);
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = slot + 1;
    }

    /** The seq {@code reqId} was applied at within the window, or -1. */
    long seqOf(String reqId) {
        long h = RequestIdHash.of(reqId);
        for (int i = home(h); table[i] != 0; i = (i + 1) & mask) {
            int slot = table[i] - 1;
            if (hashes[slot] == h && seqs[slot] > latest - capacity) {
                return seqs[slot];
            }
        }
        return -1;
    }

    /** The recorded (seq, hash) pairs of the window, in seq order, for a snapshot. */
    Window window() {
        Window w = new Window(latest);
        for (long seq = Math.max(1, latest - capacity + 1); seq <= latest; seq++) {
            int slot = (int) (seq % capacity);
            if (seqs[slot] == seq) {
                w.add(seq, hashes[slot]);
            }
        }
        return w;
    }

    /** Replaces everything with {@code window} (which may come from a replica with another capacity). */
    void restore(Window window) {
        java.util.Arrays.fill(seqs, 0);
        java.util.Arrays.fill(table, 0);
        latest = 0;
        for (int i = 0; i < window.count(); i++) {
            if (window.seq(i) > window.latest() - capacity) {
                put(window.seq(i), window.hash(i));
            }
        }
        latest = Math.max(latest, window.latest());
    }

    /**
     * What a snapshot keeps of the index: {@link #count()} (seq, hash) pairs in seq order, and the latest seq.
     * Held in chunks of {@value #PAIRS_PER_CHUNK} pairs (128 KB), below the size at which the garbage collector
     * allocates an object in the old generation: a window is built at every snapshot, and as two arrays of a
     * million longs it was 16 MB of such allocations each time, each one able to start a marking cycle.
     *
     * <p>Built by one thread with {@link #add}, then read-only (safe to share once published).
     */
    static final class Window {
        private static final int PAIRS_PER_CHUNK = 8192;

        private final long latest;
        private final java.util.ArrayList<long[]> chunks = new java.util.ArrayList<>();
        private int count;

        Window(long latest) {
            this.latest = latest;
        }

        long latest() {
            return latest;
        }

        int count() {
            return count;
        }

        long seq(int i) {
            return chunks.get(i / PAIRS_PER_CHUNK)[(i % PAIRS_PER_CHUNK) * 2];
        }

        long hash(int i) {
            return chunks.get(i / PAIRS_PER_CHUNK)[(i % PAIRS_PER_CHUNK) * 2 + 1];
        }

        /** Appends a pair; seqs must come in increasing order (the caller checks what it reads from outside). */
        void add(long seq, long hash) {
            int at = count % PAIRS_PER_CHUNK;
            if (at == 0) {
                chunks.add(new long[PAIRS_PER_CHUNK * 2]);
            }
            long[] chunk = chunks.get(chunks.size() - 1);
            chunk[at * 2] = seq;
            chunk[at * 2 + 1] = hash;
            count++;
        }
    }

    /** Removes {@code slot} from the table, shifting back the entries of its probe run (no tombstones). */
    private void unlink(int slot) {
        int i = home(hashes[slot]);
        while (table[i] != slot + 1) {
            i = (i + 1) & mask;
        }
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (table[j] == 0) {
                break;
            }
            if (!LinearProbing.staysPut(i, j, home(hashes[table[j] - 1]))) {
                table[i] = table[j];
                i = j;
            }
        }
        table[i] = 0;
        seqs[slot] = 0;
    }

    private int home(long hash) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }
}
