package net.totalorder.sequencer.core;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.totalorder.sequencer.core.SequencerMessage.Beacon;
import net.totalorder.sequencer.core.SequencerMessage.ConfirmLead;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchSnapshot;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.GetReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.LeadConfirmed;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.PreRead;
import net.totalorder.sequencer.core.SequencerMessage.PreReadReply;
import net.totalorder.sequencer.core.SequencerMessage.ReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.ReadMaj;
import net.totalorder.sequencer.core.SequencerMessage.ReadMajReply;
import net.totalorder.sequencer.core.SequencerMessage.Recover;
import net.totalorder.sequencer.core.SequencerMessage.RecoverReply;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.SnapshotChunk;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.SequencerMessage.WriteMajReply;

/**
 * The one wire form of {@link SequencerMessage}: a version byte, a type byte, then the fields in declaration
 * order — longs and ints big-endian, strings and byte arrays as a 4-byte length and the bytes (strings UTF-8),
 * lists as a 4-byte count and the elements, a nullable string as a presence byte first. A batch frame carries
 * several messages for one destination: version, batch type, count, then each message from its type byte on.
 *
 * <p>Decoding trusts nothing: every length is checked against the bytes that remain and against the limits of
 * {@link TentativeAssignment} before anything is allocated, strings must be valid UTF-8, and trailing bytes are an
 * error. Any violation is a {@link MalformedMessageException}. No Java serialization is involved.
 *
 * <p>Stateless and thread-safe.
 */
public final class SequencerCodec {

    /**
     * 4: {@code GetReadIndex}/{@code ReadIndex}/{@code ConfirmLead}/{@code LeadConfirmed} added (3: pre-vote); a
     * server of another version is not understood.
     */
    static final byte VERSION = 4;
    /** Member names and leader hints: at most this many UTF-8 bytes. */
    static final int MAX_NAME_BYTES = 255;

    private static final byte GET_SEQ = 1;
    private static final byte SEQ = 2;
    private static final byte NOT_PRIMARY = 3;
    private static final byte READ_MAJ = 4;
    private static final byte READ_MAJ_REPLY = 5;
    private static final byte WRITE_MAJ = 6;
    private static final byte WRITE_MAJ_REPLY = 7;
    private static final byte FETCH = 8;
    private static final byte DEFINITIVE_ENTRIES = 9;
    private static final byte RECOVER = 10;
    private static final byte RECOVER_REPLY = 11;
    private static final byte BATCH = 12;
    private static final byte BEACON = 13;
    private static final byte FETCH_SNAPSHOT = 14;
    private static final byte SNAPSHOT_CHUNK = 15;
    private static final byte PRE_READ = 16;
    private static final byte PRE_READ_REPLY = 17;
    private static final byte GET_READ_INDEX = 18;
    private static final byte READ_INDEX = 19;
    private static final byte CONFIRM_LEAD = 20;
    private static final byte LEAD_CONFIRMED = 21;
    /** Most messages in one batch frame. */
    public static final int MAX_BATCH = 1024;
    /** Most bytes in one snapshot chunk. */
    public static final int MAX_CHUNK_BYTES = 8 << 20;

    private SequencerCodec() {
    }

    public static byte[] encode(SequencerMessage message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeMessage(out, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);   // cannot happen writing to memory
        }
        return bytes.toByteArray();
    }

    /**
     * Several messages for one destination in one frame, to be read back with {@link #decodeAll}: a batch type
     * byte, the count, then each message's type and fields. One message is encoded as by {@link #encode}.
     */
    public static byte[] encodeAll(List<SequencerMessage> messages) {
        if (messages.isEmpty() || messages.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1.." + MAX_BATCH + " messages, not " + messages.size());
        }
        if (messages.size() == 1) {
            return encode(messages.get(0));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * messages.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(BATCH);
            out.writeInt(messages.size());
            for (SequencerMessage message : messages) {
                writeMessage(out, message);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeMessage(DataOutputStream out, SequencerMessage message) throws IOException {
        if (message instanceof GetSeq m) {
            out.writeByte(GET_SEQ);
            writeString(out, m.reqId());
            writeBytes(out, m.payload());
        } else if (message instanceof Seq m) {
            out.writeByte(SEQ);
            writeString(out, m.reqId());
            out.writeLong(m.seq());
        } else if (message instanceof NotPrimary m) {
            out.writeByte(NOT_PRIMARY);
            writeString(out, m.reqId());
            out.writeBoolean(m.leaderHint() != null);
            if (m.leaderHint() != null) {
                writeString(out, m.leaderHint());
            }
        } else if (message instanceof GetReadIndex m) {
            out.writeByte(GET_READ_INDEX);
            writeString(out, m.readId());
        } else if (message instanceof ReadIndex m) {
            out.writeByte(READ_INDEX);
            writeString(out, m.readId());
            out.writeLong(m.seq());
        } else if (message instanceof ConfirmLead m) {
            out.writeByte(CONFIRM_LEAD);
            out.writeLong(m.epoch());
            out.writeLong(m.round());
        } else if (message instanceof LeadConfirmed m) {
            out.writeByte(LEAD_CONFIRMED);
            out.writeLong(m.epoch());
            out.writeLong(m.round());
            out.writeBoolean(m.ok());
            out.writeLong(m.promisedEpoch());
        } else if (message instanceof PreRead m) {
            out.writeByte(PRE_READ);
            out.writeLong(m.epoch());
        } else if (message instanceof PreReadReply m) {
            out.writeByte(PRE_READ_REPLY);
            out.writeLong(m.epoch());
            out.writeBoolean(m.granted());
            out.writeLong(m.promisedEpoch());
        } else if (message instanceof ReadMaj m) {
            out.writeByte(READ_MAJ);
            out.writeLong(m.epoch());
            out.writeLong(m.fromSeq());
        } else if (message instanceof ReadMajReply m) {
            out.writeByte(READ_MAJ_REPLY);
            out.writeLong(m.epoch());
            out.writeBoolean(m.promised());
            out.writeLong(m.promisedEpoch());
            out.writeLong(m.stateEpoch());
            out.writeLong(m.definitiveUpTo());
            out.writeLong(m.baseSeq());
            out.writeLong(m.baseEpoch());
            out.writeLong(m.lastSeq());
            writeAssignments(out, m.entries());
        } else if (message instanceof WriteMaj m) {
            out.writeByte(WRITE_MAJ);
            out.writeLong(m.epoch());
            out.writeLong(m.startSeq());
            out.writeLong(m.prevSeq());
            out.writeLong(m.prevEpoch());
            out.writeLong(m.definitiveUpTo());
            out.writeBoolean(m.ackRequested());
            out.writeBoolean(m.baseInstall());
            writeAssignments(out, m.entries());
        } else if (message instanceof WriteMajReply m) {
            out.writeByte(WRITE_MAJ_REPLY);
            out.writeLong(m.epoch());
            out.writeBoolean(m.ok());
            out.writeLong(m.matchSeq());
            out.writeLong(m.promisedEpoch());
            out.writeLong(m.incarnation());
        } else if (message instanceof FetchDefinitive m) {
            out.writeByte(FETCH);
            out.writeLong(m.fromSeq());
            out.writeInt(m.max());
        } else if (message instanceof DefinitiveEntries m) {
            out.writeByte(DEFINITIVE_ENTRIES);
            out.writeLong(m.definitiveUpTo());
            out.writeLong(m.baseSeq());
            writeAssignments(out, m.entries());
        } else if (message instanceof Recover m) {
            out.writeByte(RECOVER);
            out.writeLong(m.nonce());
        } else if (message instanceof RecoverReply m) {
            out.writeByte(RECOVER_REPLY);
            out.writeLong(m.nonce());
            out.writeBoolean(m.recovering());
            out.writeLong(m.highestEpoch());
            out.writeLong(m.stateEpoch());
            out.writeLong(m.lastSeq());
            out.writeLong(m.incarnation());
        } else if (message instanceof Beacon m) {
            out.writeByte(BEACON);
            out.writeLong(m.incarnation());
            out.writeByte(m.role().ordinal());
            out.writeLong(m.epoch());
            out.writeBoolean(m.eligible());
            out.writeLong(m.appliedSeq());
            out.writeLong(m.definitiveUpTo());
            out.writeLong(m.snapshotSeq());
        } else if (message instanceof FetchSnapshot m) {
            out.writeByte(FETCH_SNAPSHOT);
            out.writeLong(m.minSeq());
            out.writeLong(m.snapshotSeq());
            out.writeLong(m.offset());
        } else if (message instanceof SnapshotChunk m) {
            out.writeByte(SNAPSHOT_CHUNK);
            out.writeLong(m.snapshotSeq());
            out.writeLong(m.totalBytes());
            out.writeLong(m.offset());
            writeBytes(out, m.data());
        } else {
            throw new IllegalArgumentException("no encoding for " + message);
        }
    }

    /** @throws MalformedMessageException for anything but the exact encoding of one valid message */
    public static SequencerMessage decode(byte[] bytes) {
        List<SequencerMessage> messages = decodeAll(bytes);
        if (messages.size() != 1) {
            throw new MalformedMessageException("a batch of " + messages.size() + " messages, not one message");
        }
        return messages.get(0);
    }

    /**
     * The messages of a frame written by {@link #encode} or {@link #encodeAll}, in order.
     *
     * @throws MalformedMessageException for anything but the exact encoding of one valid message or of a batch of
     *                                   1..{@value #MAX_BATCH} valid messages (a batch never holds a batch)
     */
    public static List<SequencerMessage> decodeAll(byte[] bytes) {
        if (bytes == null) {
            throw new MalformedMessageException("no bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new MalformedMessageException("unknown codec version " + version);
            }
            List<SequencerMessage> messages;
            if (in.get(in.position()) == BATCH) {
                in.get();
                int count = in.getInt();
                // each message takes at least its type byte
                if (count < 1 || count > MAX_BATCH || count > in.remaining()) {
                    throw new MalformedMessageException("batch count " + count + " outside 1.." + MAX_BATCH
                            + " or beyond the " + in.remaining() + " bytes left");
                }
                messages = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    messages.add(readMessage(in));
                }
            } else {
                messages = List.of(readMessage(in));
            }
            if (in.hasRemaining()) {
                throw new MalformedMessageException(in.remaining() + " trailing bytes after "
                        + messages.get(messages.size() - 1).getClass().getSimpleName());
            }
            return messages;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new MalformedMessageException("message is truncated", e);
        } catch (MalformedMessageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("invalid field: " + e.getMessage(), e);
        }
    }

    private static SequencerMessage readMessage(ByteBuffer in) {
        byte type = in.get();
        return switch (type) {
            case GET_SEQ -> new GetSeq(readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES),
                    readBytes(in, TentativeAssignment.MAX_PAYLOAD_BYTES));
            case SEQ -> new Seq(readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES), in.getLong());
            case NOT_PRIMARY -> new NotPrimary(readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES),
                    readBoolean(in) ? readString(in, MAX_NAME_BYTES) : null);
            case GET_READ_INDEX -> new GetReadIndex(readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES));
            case READ_INDEX -> new ReadIndex(readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES), in.getLong());
            case CONFIRM_LEAD -> new ConfirmLead(in.getLong(), in.getLong());
            case LEAD_CONFIRMED -> new LeadConfirmed(in.getLong(), in.getLong(), readBoolean(in), in.getLong());
            case PRE_READ -> new PreRead(in.getLong());
            case PRE_READ_REPLY -> new PreReadReply(in.getLong(), readBoolean(in), in.getLong());
            case READ_MAJ -> new ReadMaj(in.getLong(), in.getLong());
            case READ_MAJ_REPLY -> new ReadMajReply(in.getLong(), readBoolean(in), in.getLong(), in.getLong(),
                    in.getLong(), in.getLong(), in.getLong(), in.getLong(), readAssignments(in));
            case WRITE_MAJ -> {
                long epoch = in.getLong();
                long startSeq = in.getLong();
                long prevSeq = in.getLong();
                long prevEpoch = in.getLong();
                long definitiveUpTo = in.getLong();
                boolean ackRequested = readBoolean(in);
                boolean baseInstall = readBoolean(in);
                yield new WriteMaj(epoch, startSeq, prevSeq, prevEpoch, readAssignments(in), definitiveUpTo,
                        ackRequested, baseInstall);
            }
            case WRITE_MAJ_REPLY -> new WriteMajReply(in.getLong(), readBoolean(in), in.getLong(), in.getLong(),
                    in.getLong());
            case FETCH -> new FetchDefinitive(in.getLong(), in.getInt());
            case DEFINITIVE_ENTRIES -> new DefinitiveEntries(in.getLong(), in.getLong(), readAssignments(in));
            case RECOVER -> new Recover(in.getLong());
            case RECOVER_REPLY -> new RecoverReply(in.getLong(), readBoolean(in), in.getLong(), in.getLong(),
                    in.getLong(), in.getLong());
            case BEACON -> new Beacon(in.getLong(), readRole(in), in.getLong(), readBoolean(in), in.getLong(),
                    in.getLong(), in.getLong());
            case FETCH_SNAPSHOT -> new FetchSnapshot(in.getLong(), in.getLong(), in.getLong());
            case SNAPSHOT_CHUNK -> new SnapshotChunk(in.getLong(), in.getLong(), in.getLong(),
                    readBytes(in, MAX_CHUNK_BYTES));
            case BATCH -> throw new MalformedMessageException("a batch inside a batch");
            default -> throw new MalformedMessageException("unknown message type " + type);
        };
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeAssignments(DataOutputStream out, List<TentativeAssignment> entries)
            throws IOException {
        out.writeInt(entries.size());
        for (TentativeAssignment ta : entries) {
            writeString(out, ta.reqId());
            out.writeLong(ta.seq());
            out.writeLong(ta.epoch());
            writeBytes(out, ta.payload());
        }
    }

    private static SequencerReplica.Role readRole(ByteBuffer in) {
        byte b = in.get();
        SequencerReplica.Role[] roles = SequencerReplica.Role.values();
        if (b < 0 || b >= roles.length) {
            throw new MalformedMessageException("role byte is " + b);
        }
        return roles[b];
    }

    private static boolean readBoolean(ByteBuffer in) {
        byte b = in.get();
        if (b != 0 && b != 1) {
            throw new MalformedMessageException("boolean byte is " + b);
        }
        return b == 1;
    }

    private static byte[] readBytes(ByteBuffer in, int max) {
        byte[] b = new byte[readLength(in, max)];
        in.get(b);
        return b;
    }

    /** A length prefix, checked against {@code max} and against the bytes left. */
    private static int readLength(ByteBuffer in, int max) {
        int length = in.getInt();
        if (length < 0 || length > max) {
            throw new MalformedMessageException("length " + length + " outside 0.." + max);
        }
        if (length > in.remaining()) {
            throw new MalformedMessageException("length " + length + " exceeds the " + in.remaining()
                    + " bytes left");
        }
        return length;
    }

    private static String readString(ByteBuffer in, int maxBytes) {
        int length = readLength(in, maxBytes);
        try {
            return StrictUtf8.decode(in, length);
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException("string is not valid UTF-8", e);
        }
    }

    /** Smallest encoded assignment: empty id length, seq, epoch, payload length and one payload byte. */
    private static final int MIN_ASSIGNMENT_BYTES = 4 + 8 + 8 + 4 + 1;

    private static List<TentativeAssignment> readAssignments(ByteBuffer in) {
        int count = in.getInt();
        if (count < 0 || (long) count * MIN_ASSIGNMENT_BYTES > in.remaining()) {
            throw new MalformedMessageException("assignment count " + count + " does not fit the "
                    + in.remaining() + " bytes left");
        }
        List<TentativeAssignment> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String reqId = readString(in, TentativeAssignment.MAX_REQUEST_ID_BYTES);
            long seq = in.getLong();
            long epoch = in.getLong();
            entries.add(new TentativeAssignment(reqId, seq, epoch, readBytes(in, TentativeAssignment.MAX_PAYLOAD_BYTES)));
        }
        return entries;
    }
}
