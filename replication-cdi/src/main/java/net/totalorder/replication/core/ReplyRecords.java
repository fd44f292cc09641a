package net.totalorder.replication.core;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies as bytes, one record after the other in seq order, in the form a snapshot stores them:
 * <pre>
 * seq (8), request id, identity, outcome (1), value   — strings: length (4) + UTF-8; numbers big-endian
 * </pre>
 * What the {@link ReplyCache} keeps its replies in and what a snapshot carries of them: a reply kept for 100,000
 * seqs is then a few dozen bytes in an array shared with its neighbours, not four objects the garbage collector has
 * to copy out of the young generation and then mark, again and again, in the old one.
 *
 * <p>Held in arrays of at most {@value #CHUNK} bytes (one record longer than that in an array of its own), below
 * the size at which G1 allocates an object directly in the old generation. Each array holds whole records only.
 * Immutable once built ({@link Builder}); safe to share once published.
 */
final class ReplyRecords {

    /** Bytes per array: small against any G1 region (1 MB and up), large against a record. */
    static final int CHUNK = 64 << 10;
    static final ReplyRecords NONE = new ReplyRecords(List.of(), 0, 0);

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final Reply.Outcome[] OUTCOMES = Reply.Outcome.values();

    private final List<byte[]> chunks;
    private final int count;
    private final long lastSeq;

    private ReplyRecords(List<byte[]> chunks, int count, long lastSeq) {
        this.chunks = chunks;
        this.count = count;
        this.lastSeq = lastSeq;
    }

    /** How many replies. */
    int count() {
        return count;
    }

    /** The seq of the last reply, or 0. */
    long lastSeq() {
        return lastSeq;
    }

    /** Sees one record: {@code length} bytes at {@code at} in {@code from}. */
    interface RecordVisitor {
        void record(byte[] from, int at, int length);
    }

    /** Every record, in seq order. */
    void forEach(RecordVisitor visitor) {
        for (byte[] chunk : chunks) {
            for (int at = 0; at < chunk.length; ) {
                int length = length(chunk, at);
                visitor.record(chunk, at, length);
                at += length;
            }
        }
    }

    /** The records, as a snapshot stores them (without their count). */
    void writeTo(OutputStream out) throws IOException {
        for (byte[] chunk : chunks) {
            out.write(chunk);
        }
    }

    /** Collects records in seq order; the caller checks the order. One thread. */
    static final class Builder {
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] current = new byte[CHUNK];
        private int used;
        private int count;
        private long lastSeq;

        Builder add(Reply r) {
            byte[] id = utf8(r.requestId());
            byte[] identity = utf8(r.identity());
            byte[] value = utf8(r.value());
            int length = length(id, identity, value);
            if (used + length > current.length) {
                flush(Math.max(CHUNK, length));
            }
            used = encode(current, used, r.seq(), id, identity, r.outcome(), value);
            count++;
            lastSeq = r.seq();
            return this;
        }

        /**
         * Appends {@code length} bytes of whole records from {@code from}: {@code records} of them, the last at
         * {@code lastSeq} (records copied from another store).
         */
        Builder addRecords(byte[] from, int offset, int length, int records, long lastSeq) {
            if (records == 0) {
                return this;
            }
            if (used + length > current.length) {
                flush(Math.max(CHUNK, length));
            }
            System.arraycopy(from, offset, current, used, length);
            used += length;
            count += records;
            this.lastSeq = lastSeq;
            return this;
        }

        ReplyRecords build() {
            flush(0);
            return new ReplyRecords(List.copyOf(chunks), count, lastSeq);
        }

        private void flush(int nextSize) {
            if (used > 0) {
                chunks.add(used == current.length ? current : java.util.Arrays.copyOf(current, used));
            }
            current = nextSize == 0 ? null : new byte[nextSize];
            used = 0;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // One record

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes of a record with these strings. */
    static int length(byte[] requestId, byte[] identity, byte[] value) {
        return 8 + 4 + requestId.length + 4 + identity.length + 1 + 4 + value.length;
    }

    /** Writes a record at {@code at}; returns where it ends. */
    static int encode(byte[] into, int at, long seq, byte[] requestId, byte[] identity, Reply.Outcome outcome,
                      byte[] value) {
        LONG.set(into, at, seq);
        at = put(into, at + 8, requestId);
        at = put(into, at, identity);
        into[at++] = (byte) outcome.ordinal();
        return put(into, at, value);
    }

    /** The seq of the record at {@code at}. */
    static long seq(byte[] from, int at) {
        return (long) LONG.get(from, at);
    }

    /** The length of the record at {@code at}. */
    static int length(byte[] from, int at) {
        int id = (int) INT.get(from, at + 8);
        int identity = (int) INT.get(from, at + 12 + id);
        int value = (int) INT.get(from, at + 16 + id + identity + 1);
        return 8 + 4 + id + 4 + identity + 1 + 4 + value;
    }

    /** Whether the record at {@code at} is the reply of {@code requestId} (its UTF-8 bytes). */
    static boolean isFor(byte[] from, int at, byte[] requestId) {
        int id = (int) INT.get(from, at + 8);
        return java.util.Arrays.equals(from, at + 12, at + 12 + id, requestId, 0, requestId.length);
    }

    /** The reply in the record at {@code at}, which holds {@code requestId} ({@link #isFor} checked it). */
    static Reply decode(byte[] from, int at, String requestId) {
        long seq = seq(from, at);
        at += 12 + (int) INT.get(from, at + 8);
        int identityLength = (int) INT.get(from, at);
        String identity = new String(from, at + 4, identityLength, StandardCharsets.UTF_8);
        at += 4 + identityLength;
        Reply.Outcome outcome = OUTCOMES[from[at]];
        int valueLength = (int) INT.get(from, at + 1);
        String value = new String(from, at + 5, valueLength, StandardCharsets.UTF_8);
        return new Reply(seq, requestId, identity, outcome, value, null, false);
    }

    private static int put(byte[] into, int at, byte[] s) {
        INT.set(into, at, s.length);
        System.arraycopy(s, 0, into, at + 4, s.length);
        return at + 4 + s.length;
    }
}
