package net.totalorder.replication.core;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

import net.totalorder.sequencer.core.StrictUtf8;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * The bytes of a snapshot of one application replica at a seq: everything exactly-once needs, and the state.
 *
 * <pre>
 * magic "TOSNAP" (6 bytes), version (2 bytes, big-endian), seq (8)
 * replies: count (4), each: seq (8), request id, identity, outcome (1), value   — strings: length (4) + UTF-8
 * request ids: latest (8), count (4), each: seq (8), hash (8)
 * state: the state machine's bytes, up to the trailer
 * trailer: CRC-32C (4) of everything before it
 * </pre>
 * Reading checks the trailer first, then every length and count against the bytes left, before allocating; any
 * mismatch is a {@link CorruptSnapshotException} and nothing is restored. No Java serialization.
 *
 * <p>Stateless and thread-safe.
 */
final class SnapshotFormat {

    private static final byte[] MAGIC = "TOSNAP".getBytes(StandardCharsets.US_ASCII);
    private static final short VERSION = 1;
    private static final int MAX_IDENTITY_BYTES = 256;
    private static final int MAX_VALUE_BYTES = TentativeAssignment.MAX_PAYLOAD_BYTES * 8;

    private SnapshotFormat() {
    }

    /** A snapshot read back: its seq, what the reply cache held, and where the state's bytes are. */
    record Decoded(long seq, ReplyCache.Contents cache, ChunkedBytes bytes, long stateFrom, long stateTo) {
        InputStream state() {
            return bytes.input(stateFrom, stateTo);
        }
    }

    /** A snapshot that cannot be read; nothing of it was used. */
    static final class CorruptSnapshotException extends Exception {
        CorruptSnapshotException(String message) {
            super(message);
        }
    }

    static ChunkedBytes write(long seq, ReplyCache.Contents cache, StateMachine.Capture state) throws IOException {
        ChunkedBytes bytes = new ChunkedBytes();
        CRC32C crc = new CRC32C();
        // buffered below the DataOutputStream: it writes an int or a short a byte at a time, and the checksum and
        // the blocks are cheap per call only on long runs of bytes
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                new CheckedOutputStream(bytes.output(), crc), 64 << 10));
        out.write(MAGIC);
        out.writeShort(VERSION);
        out.writeLong(seq);
        out.writeInt(cache.replies().count());
        cache.replies().writeTo(out);             // already in this format (ReplyRecords)
        RequestIdIndex.Window ids = cache.ids();
        out.writeLong(ids.latest());
        out.writeInt(ids.count());
        ByteBuffer pairs = ByteBuffer.allocate(16 << 10);  // big-endian, as DataOutputStream; a call per 1,024 pairs
        for (int i = 0; i < ids.count(); i++) {
            if (pairs.remaining() < 16) {
                out.write(pairs.array(), 0, pairs.position());
                pairs.clear();
            }
            pairs.putLong(ids.seq(i)).putLong(ids.hash(i));
        }
        out.write(pairs.array(), 0, pairs.position());
        state.writeTo(out);
        out.flush();
        int sum = (int) crc.getValue();
        new DataOutputStream(bytes.output()).writeInt(sum);
        return bytes.seal();
    }

    static Decoded read(ChunkedBytes bytes) throws CorruptSnapshotException {
        long size = bytes.size();
        if (size < MAGIC.length + 2 + 8 + 4 + 8 + 4 + 4) {
            throw new CorruptSnapshotException("snapshot of " + size + " bytes is too short");
        }
        CRC32C crc = new CRC32C();
        for (long at = 0; at < size - 4; at += ChunkedBytes.BLOCK) {
            byte[] part = bytes.read(at, (int) Math.min(ChunkedBytes.BLOCK, size - 4 - at));
            crc.update(part);
        }
        byte[] trailer = bytes.read(size - 4, 4);
        int stored = ((trailer[0] & 0xff) << 24) | ((trailer[1] & 0xff) << 16) | ((trailer[2] & 0xff) << 8)
                | (trailer[3] & 0xff);
        if (stored != (int) crc.getValue()) {
            throw new CorruptSnapshotException("snapshot checksum mismatch");
        }
        CountingInput counted = new CountingInput(bytes.input(0, size - 4));
        DataInputStream in = new DataInputStream(counted);
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CorruptSnapshotException("not a snapshot (bad magic)");
            }
            short version = in.readShort();
            if (version != VERSION) {
                throw new CorruptSnapshotException("snapshot version " + version + " is not " + VERSION);
            }
            long seq = in.readLong();
            if (seq < 1) {
                throw new CorruptSnapshotException("snapshot seq " + seq);
            }
            int replyCount = count(in, counted, size, 8 + 4 + 4 + 1 + 4);
            ReplyRecords.Builder replies = new ReplyRecords.Builder();
            Reply.Outcome[] outcomes = Reply.Outcome.values();
            long previousReply = 0;
            for (int i = 0; i < replyCount; i++) {
                long replySeq = in.readLong();
                String reqId = readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES);
                String identity = readString(in, MAX_IDENTITY_BYTES);
                int outcome = in.readUnsignedByte();
                if (outcome >= outcomes.length || replySeq <= previousReply || replySeq > seq) {
                    throw new CorruptSnapshotException("reply " + i + " has outcome " + outcome + " and seq "
                            + replySeq + (replySeq <= previousReply ? ", not after the one before" : ""));
                }
                String value = readString(in, MAX_VALUE_BYTES);
                replies.add(new Reply(replySeq, reqId, identity, outcomes[outcome], value, null, false));
                previousReply = replySeq;
            }
            long latest = in.readLong();
            int idCount = count(in, counted, size, 16);
            RequestIdIndex.Window ids = new RequestIdIndex.Window(latest);
            long previous = 0;
            for (int i = 0; i < idCount; i++) {
                long idSeq = in.readLong();
                long hash = in.readLong();
                if (idSeq < 1 || idSeq > latest || idSeq <= previous) {
                    throw new CorruptSnapshotException("request id entry " + i + " at seq " + idSeq);
                }
                ids.add(idSeq, hash);
                previous = idSeq;
            }
            return new Decoded(seq, new ReplyCache.Contents(replies.build(), ids), bytes, counted.position, size - 4);
        } catch (EOFException e) {
            throw new CorruptSnapshotException("snapshot is truncated");
        } catch (IOException e) {
            throw new CorruptSnapshotException("snapshot cannot be read: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in, CountingInput counted, long size, int minBytesEach)
            throws IOException, CorruptSnapshotException {
        int n = in.readInt();
        if (n < 0 || (long) n * minBytesEach > size - counted.position) {
            throw new CorruptSnapshotException("count " + n + " does not fit the bytes left");
        }
        return n;
    }

    private static String readString(DataInputStream in, int max) throws IOException, CorruptSnapshotException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new CorruptSnapshotException("string length " + length + " outside 0.." + max);
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new EOFException();
        }
        try {
            return StrictUtf8.decode(b, 0, b.length);
        } catch (CharacterCodingException e) {
            throw new CorruptSnapshotException("string is not UTF-8");
        }
    }

    /** Counts the bytes read, to know where the state section starts. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long position;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                position += n;
            }
            return n;
        }
    }
}
