package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import net.totalorder.sequencer.core.SequencerMessage.Beacon;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchSnapshot;
import net.totalorder.sequencer.core.SequencerMessage.Recover;
import net.totalorder.sequencer.core.SequencerMessage.RecoverReply;
import net.totalorder.sequencer.core.SequencerMessage.SnapshotChunk;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.PreRead;
import net.totalorder.sequencer.core.SequencerMessage.PreReadReply;
import net.totalorder.sequencer.core.SequencerMessage.ReadMaj;
import net.totalorder.sequencer.core.SequencerMessage.ReadMajReply;
import net.totalorder.sequencer.core.SequencerMessage.ConfirmLead;
import net.totalorder.sequencer.core.SequencerMessage.GetReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.LeadConfirmed;
import net.totalorder.sequencer.core.SequencerMessage.ReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.SequencerMessage.WriteMajReply;
import org.junit.jupiter.api.Test;

/** The wire codec: every message survives a round trip; malformed bytes are refused with a clear error. */
class SequencerCodecTest {

    private static final TentativeAssignment TA1 = new TentativeAssignment("node1:é-1", 1, 1, new byte[] {1, 2});
    private static final TentativeAssignment TA2 = new TentativeAssignment("node2-7", 2, 3, new byte[] {9});

    private static List<SequencerMessage> everyKind() {
        return List.of(
                new GetSeq("req", new byte[] {0, -1, 127}),
                new Seq("req", 42),
                new NotPrimary("req", "r2"),
                new NotPrimary("req", null),
                new GetReadIndex("r:node1:7"),
                new ReadIndex("r:node1:7", 12),
                new ConfirmLead(4, 9),
                new LeadConfirmed(4, 9, true, 4),
                new LeadConfirmed(4, 9, false, 6),
                new PreRead(6),
                new PreReadReply(6, true, 5),
                new PreReadReply(6, false, 9),
                new ReadMaj(5, 17),
                new ReadMajReply(5, true, 5, 4, 1, 0, 0, 2, List.of(TA1, TA2)),
                new ReadMajReply(5, false, 9, 0, 0, 7, 3, 9, List.of()),
                new WriteMaj(3, 2, 0, 0, List.of(TA1, TA2), 1, true, false),
                new WriteMaj(3, 2, 2, 3, List.of(), 1, false, true),
                new WriteMajReply(3, false, 7, 4, -12),
                new FetchDefinitive(10, 100),
                new DefinitiveEntries(2, 0, List.of(TA1, TA2)),
                new DefinitiveEntries(9, 5, List.of()),
                new Recover(-77),
                new RecoverReply(-77, false, 12, 11, 40, 99),
                new RecoverReply(-77, true, 0, 0, 0, 3),
                new Beacon(5, SequencerReplica.Role.CATCHING_UP, 4, false, 10, 12, 8),
                new Beacon(-5, SequencerReplica.Role.PRIMARY, 9, true, 0, 0, 0),
                new FetchSnapshot(30, 0, 0),
                new FetchSnapshot(30, 41, 1 << 20),
                new SnapshotChunk(41, 10, 4, new byte[] {1, 2, 3}),
                new SnapshotChunk(0, 0, 0, new byte[0]));
    }

    @Test
    void everyMessageKind_survivesARoundTrip() {
        for (SequencerMessage m : everyKind()) {
            SequencerMessage back = SequencerCodec.decode(SequencerCodec.encode(m));
            if (m instanceof GetSeq g) {
                GetSeq b = (GetSeq) back;
                assertEquals(g.reqId(), b.reqId());
                assertArrayEquals(g.payload(), b.payload());
            } else if (m instanceof SnapshotChunk c) {
                SnapshotChunk b = (SnapshotChunk) back;
                assertEquals(List.of(c.snapshotSeq(), c.totalBytes(), c.offset()),
                        List.of(b.snapshotSeq(), b.totalBytes(), b.offset()));
                assertArrayEquals(c.data(), b.data());
            } else {
                assertEquals(m, back);
            }
        }
    }

    @Test
    void everyTruncation_isRefused() {
        for (SequencerMessage m : everyKind()) {
            byte[] bytes = SequencerCodec.encode(m);
            for (int length = 0; length < bytes.length; length++) {
                byte[] cut = Arrays.copyOf(bytes, length);
                assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(cut),
                        m + " cut to " + length + " bytes");
            }
        }
    }

    @Test
    void trailingBytes_unknownVersion_unknownType_areRefused() {
        byte[] ok = SequencerCodec.encode(new Seq("r", 1));
        byte[] longer = Arrays.copyOf(ok, ok.length + 1);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(longer))
                .getMessage().contains("trailing"));
        byte[] version = ok.clone();
        version[0] = 99;
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(version))
                .getMessage().contains("version"));
        byte[] type = ok.clone();
        type[1] = 77;
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(type))
                .getMessage().contains("type"));
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(null));
    }

    @Test
    void hugeLengthsAndCounts_areRefusedBeforeAllocating() {
        // GetSeq claiming a 2 GiB request id
        ByteBuffer b = ByteBuffer.allocate(10).put(SequencerCodec.VERSION).put((byte) 1).putInt(Integer.MAX_VALUE);
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(Arrays.copyOf(b.array(), 6)));
        // DefinitiveEntries claiming a billion assignments in a few bytes
        ByteBuffer c = ByteBuffer.allocate(22).put(SequencerCodec.VERSION).put((byte) 9).putLong(0).putLong(0)
                .putInt(1_000_000_000);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(c.array()))
                .getMessage().contains("count"));
        // a payload over the limit
        byte[] big = new byte[TentativeAssignment.MAX_PAYLOAD_BYTES + 1];
        ByteBuffer d = ByteBuffer.allocate(2 + 4 + 1 + 4 + big.length).put(SequencerCodec.VERSION).put((byte) 1)
                .putInt(1).put((byte) 'x').putInt(big.length).put(big);
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(d.array()));
    }

    /**
     * A ReadMaj of epoch Long.MAX_VALUE, once promised, would make the next candidate's epoch overflow and the group
     * never order again; a Seq or WriteMaj beyond any reachable seq would make a replica wait forever. Every epoch
     * and seq a message carries is refused beyond 2^62 (and below 0), as the decoder's first step.
     */
    @Test
    void epochsAndSeqsBeyondAnyReachableValue_areRefused() {
        ByteBuffer readMaj = ByteBuffer.allocate(18).put(SequencerCodec.VERSION).put((byte) 4)
                .putLong(Long.MAX_VALUE).putLong(0);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(readMaj.array()))
                .getMessage().contains("epoch " + Long.MAX_VALUE + " is outside 0.." + SequencerMessage.MAX_NUMBER));
        ByteBuffer preRead = ByteBuffer.allocate(10).put(SequencerCodec.VERSION).put((byte) 16)
                .putLong(Long.MAX_VALUE);          // a pre-vote may not ask for an epoch no css could take either
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(preRead.array()))
                .getMessage().contains("epoch"));
        ByteBuffer seq = ByteBuffer.allocate(15).put(SequencerCodec.VERSION).put((byte) 2).putInt(1).put((byte) 'x')
                .putLong(SequencerMessage.MAX_NUMBER + 1);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(seq.array()))
                .getMessage().contains("seq"));
        ByteBuffer confirm = ByteBuffer.allocate(18).put(SequencerCodec.VERSION).put((byte) 20)
                .putLong(Long.MAX_VALUE).putLong(1);  // a lead confirmation may not name an unreachable epoch
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(confirm.array()))
                .getMessage().contains("epoch"));
        ByteBuffer readIndex = ByteBuffer.allocate(15).put(SequencerCodec.VERSION).put((byte) 19).putInt(1)
                .put((byte) 'r').putLong(SequencerMessage.MAX_NUMBER + 1);   // nor a read wait for such a seq
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(readIndex.array()))
                .getMessage().contains("seq"));
        ByteBuffer negative = ByteBuffer.allocate(18).put(SequencerCodec.VERSION).put((byte) 4).putLong(3)
                .putLong(-1);
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(negative.array()));
        assertThrows(IllegalArgumentException.class, () -> new TentativeAssignment("r", 1, Long.MAX_VALUE,
                new byte[] {1}));
        // the largest allowed values still travel
        SequencerMessage max = new ReadMaj(SequencerMessage.MAX_NUMBER, SequencerMessage.MAX_NUMBER);
        assertEquals(List.of(max), SequencerCodec.decodeAll(SequencerCodec.encode(max)));
    }

    @Test
    void forgedRequestsThatCouldNeverBeOrdered_areRefused() {
        // A GetSeq with an empty payload, as a forged message would carry it.
        ByteBuffer b = ByteBuffer.allocate(11).put(SequencerCodec.VERSION).put((byte) 1).putInt(1).put((byte) 'x')
                .putInt(0);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(b.array()))
                .getMessage().contains("empty"));
        // A request id that is not UTF-8.
        ByteBuffer c = ByteBuffer.allocate(12).put(SequencerCodec.VERSION).put((byte) 1).putInt(1).put((byte) 0xff)
                .putInt(1).put((byte) 1);
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(c.array()));
        // A boolean byte that is neither 0 nor 1.
        byte[] reply = SequencerCodec.encode(new WriteMajReply(1, true, 1, 1, 5));
        reply[10] = 7;
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(reply));
        // An assignment with seq 0.
        byte[] entries = SequencerCodec.encode(new DefinitiveEntries(1, 0, List.of(TA1)));
        ByteBuffer e = ByteBuffer.wrap(entries);
        int seqAt = 1 + 1 + 8 + 8 + 4 + 4 + TA1.reqId().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        e.putLong(seqAt, 0);
        assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(entries));
    }

    @Test
    void aBatch_survivesARoundTrip_inOrder_andOneMessageIsNotABatch() {
        List<SequencerMessage> batch = everyKind().stream()
                .filter(m -> !(m instanceof GetSeq) && !(m instanceof SnapshotChunk)).toList();
        assertEquals(batch, SequencerCodec.decodeAll(SequencerCodec.encodeAll(batch)));
        Seq one = new Seq("r", 1);
        assertArrayEquals(SequencerCodec.encode(one), SequencerCodec.encodeAll(List.of(one)));
        assertEquals(List.of(one), SequencerCodec.decodeAll(SequencerCodec.encode(one)));
        // decode() is for exactly one message
        byte[] two = SequencerCodec.encodeAll(List.of(one, one));
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decode(two))
                .getMessage().contains("batch of 2"));
    }

    @Test
    void malformedBatches_areRefused() {
        byte[] two = SequencerCodec.encodeAll(List.of(new Seq("a", 1), new Seq("b", 2)));
        for (int length = 0; length < two.length; length++) {
            byte[] cut = Arrays.copyOf(two, length);
            assertThrows(MalformedMessageException.class, () -> SequencerCodec.decodeAll(cut), "cut to " + length);
        }
        byte[] longer = Arrays.copyOf(two, two.length + 1);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decodeAll(longer))
                .getMessage().contains("trailing"));
        // counts of 0, above the limit, and beyond the bytes left
        for (int count : new int[] {0, -1, SequencerCodec.MAX_BATCH + 1, 3}) {
            byte[] forged = two.clone();
            ByteBuffer.wrap(forged).putInt(2, count);
            assertThrows(MalformedMessageException.class, () -> SequencerCodec.decodeAll(forged), "count " + count);
        }
        // a batch nested in a batch
        ByteBuffer nested = ByteBuffer.allocate(2 + 4 + two.length - 1).put(SequencerCodec.VERSION).put((byte) 12)
                .putInt(1).put(two, 1, two.length - 1);
        assertTrue(assertThrows(MalformedMessageException.class, () -> SequencerCodec.decodeAll(nested.array()))
                .getMessage().contains("inside a batch"));
        // nothing to send is a programming error, refused before anything is written
        assertThrows(IllegalArgumentException.class, () -> SequencerCodec.encodeAll(List.of()));
    }
}
