package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;

import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;

/**
 * The delivery engine, the reply cache, the request-id index and the snapshot format, without threads or network:
 * order, exactly once, eviction, snapshots that round-trip, and corrupt snapshots refused.
 */
class DeliveryEngineTest {

    /** Appends every executed request id to a list; a reply's value is the list's size after it. */
    static final class Appender implements StateMachine {
        final List<String> executed = new ArrayList<>();

        @Override
        public Reply apply(TentativeAssignment ta) {
            boolean read = ta.reqId().startsWith("read-");
            if (!read) {
                executed.add(ta.reqId());
            }
            return Reply.returned(ta.seq(), ta.reqId(), "id-" + ta.reqId(), Integer.toString(executed.size()), read);
        }

        @Override
        public Capture capture() {
            String state = String.join(",", executed);
            return out -> out.write(state.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void restore(InputStream in) throws IOException {
            String state = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            executed.clear();
            if (!state.isEmpty()) {
                executed.addAll(List.of(state.split(",")));
            }
        }
    }

    private static TentativeAssignment ta(long seq, String reqId) {
        return new TentativeAssignment(reqId, seq, 1, ("call " + reqId).getBytes(StandardCharsets.UTF_8));
    }

    private final Appender machine = new Appender();
    private final ConcurrentHashMap<String, List<CompletableFuture<Reply>>> waiting = new ConcurrentHashMap<>();

    private DeliveryEngine engine(int replies, int ids) {
        return new DeliveryEngine(machine, new ReplyCache(replies, ids), waiting, NodeObserver.NONE);
    }

    private CompletableFuture<Reply> await(String reqId) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        waiting.computeIfAbsent(reqId, k -> new ArrayList<>()).add(f);
        return f;
    }

    @Test
    void assignments_areAppliedInOrderOnce_andARequestOrderedAgainIsAnsweredWithoutExecuting() {
        DeliveryEngine engine = engine(100, 100);
        engine.apply(List.of(ta(1, "a"), ta(2, "b"), ta(3, "c")));
        engine.apply(List.of(ta(2, "b"), ta(3, "c"), ta(4, "d")));   // 2 and 3 again: skipped
        assertEquals(List.of("a", "b", "c", "d"), machine.executed);
        CompletableFuture<Reply> retry = await("b");
        engine.apply(List.of(ta(5, "b")));                          // b ordered a second time, at seq 5
        assertEquals(List.of("a", "b", "c", "d"), machine.executed, "not executed again");
        assertEquals(2, retry.join().seq(), "the retry gets the reply of its first seq");
        assertEquals("2", retry.join().value());
        assertEquals(5, engine.appliedSeq());
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> engine.apply(List.of(ta(7, "g"))));
        assertTrue(gap.getMessage().contains("after seq 5"), gap.getMessage());
    }

    @Test
    void aRequestWhoseReplyWasEvicted_getsExpiredNamingItsSeq_andIsNotExecutedAgain() {
        DeliveryEngine engine = engine(3, 10);
        for (long s = 1; s <= 8; s++) {
            engine.apply(List.of(ta(s, "r" + s)));
        }
        assertNull(engine.replies().get("r2"), "evicted: more than 3 seqs ago");
        CompletableFuture<Reply> late = await("r2");
        engine.apply(List.of(ta(9, "r2")));
        assertEquals(Reply.Outcome.EXPIRED, late.join().outcome());
        assertEquals(2, late.join().seq());
        assertEquals(8, machine.executed.size(), "r2 ran once");
        for (long s = 10; s <= 22; s++) {
            engine.apply(List.of(ta(s, "x" + s)));
        }
        engine.apply(List.of(ta(23, "r3")));                       // beyond the id retention: a new call
        assertEquals("r3", machine.executed.get(machine.executed.size() - 1));
    }

    @Test
    void readOnlyReplies_reachTheirCaller_butAreNotKept() {
        DeliveryEngine engine = engine(100, 100);
        CompletableFuture<Reply> read = await("read-1");
        engine.apply(List.of(ta(1, "w"), ta(2, "read-1")));
        assertEquals("1", read.join().value());
        assertNull(engine.replies().get("read-1"));
        assertEquals(1, engine.replies().size());
    }

    @Test
    void resolve_answersACallerThatCameAfterItsRequestWasApplied() {
        DeliveryEngine engine = engine(2, 10);
        engine.apply(List.of(ta(1, "a"), ta(2, "b"), ta(3, "c"), ta(4, "d")));
        CompletableFuture<Reply> kept = await("d");
        engine.resolve("d", 4, false);
        assertEquals(4, kept.join().seq());
        CompletableFuture<Reply> evicted = await("a");
        engine.resolve("a", 1, false);
        assertEquals(Reply.Outcome.EXPIRED, evicted.join().outcome());
        CompletableFuture<Reply> notYet = await("e");
        assertTrue(engine.resolve("e", 5, false));
        assertTrue(!notYet.isDone(), "seq 5 is not applied yet: its apply will answer");
    }

    /**
     * A Seq that names an applied seq for a request this replica never applied (forged, or mistaken) answers nobody:
     * before, the caller got EXPIRED "applied at seq 3" for a call that was never executed. The node counts it.
     */
    @Test
    void resolve_aSeqForARequestNeverAppliedHere_answersNobody() {
        DeliveryEngine engine = engine(2, 10);
        engine.apply(List.of(ta(1, "a"), ta(2, "b"), ta(3, "c")));
        CompletableFuture<Reply> waiting = await("z");
        assertFalse(engine.resolve("z", 3, false), "refused");
        assertFalse(waiting.isDone(), "the caller still waits for its own call");
        engine.apply(List.of(ta(4, "z")));
        assertEquals(4, waiting.join().seq(), "and gets the reply of its own execution");
        CompletableFuture<Reply> retry = await("a");
        assertTrue(engine.resolve("a", 2, false),
                "a wrong seq for a request applied here still answers its true reply");
        assertEquals(Reply.Outcome.EXPIRED, retry.join().outcome());
        assertEquals(1, retry.join().seq(), "at the seq it was applied at, not the one the Seq named");
        CompletableFuture<Reply> read = await("read-r");
        assertTrue(engine.resolve("read-r", 3, true), "a read kept nothing, but the local log confirms the seq");
        assertEquals(Reply.Outcome.EXPIRED, read.join().outcome());
    }

    @Test
    void aSnapshot_roundTrips_stateRepliesAndRequestIds() throws Exception {
        DeliveryEngine engine = engine(3, 6);
        for (long s = 1; s <= 7; s++) {
            engine.apply(List.of(ta(s, s == 4 ? "read-4" : "r" + s)));
        }
        ChunkedBytes bytes = engine.capture().write();
        Appender other = new Appender();
        DeliveryEngine restored = new DeliveryEngine(other, new ReplyCache(3, 6), new ConcurrentHashMap<>(),
                NodeObserver.NONE);
        restored.restore(SnapshotFormat.read(bytes));
        assertEquals(7, restored.appliedSeq());
        assertEquals(machine.executed, other.executed);
        for (long s = 1; s <= 7; s++) {
            String id = s == 4 ? "read-4" : "r" + s;
            assertEquals(describe(engine.replies().lookup(id)), describe(restored.replies().lookup(id)), id);
        }
        // and it goes on exactly as the original does
        engine.apply(List.of(ta(8, "r2"), ta(9, "n")));
        restored.apply(List.of(ta(8, "r2"), ta(9, "n")));
        assertEquals(machine.executed, other.executed);
    }

    private static String describe(Reply r) {
        return r == null ? "none" : r.describe();
    }

    @Test
    void corruptSnapshots_areRefusedBeforeAnythingIsRestored() throws Exception {
        DeliveryEngine engine = engine(10, 10);
        engine.apply(List.of(ta(1, "a"), ta(2, "b")));
        byte[] good = bytesOf(engine.capture().write());
        byte[] flipped = good.clone();
        flipped[20] ^= 1;
        assertCorrupt(flipped, "checksum");
        assertCorrupt(java.util.Arrays.copyOf(good, good.length - 3), "");
        assertCorrupt(new byte[5], "too short");
        byte[] version = good.clone();
        version[7] = 9;                                             // a newer format, with a valid checksum
        assertCorrupt(withChecksum(version), "version");
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertCorrupt(withChecksum(magic), "magic");
        byte[] count = good.clone();
        java.nio.ByteBuffer.wrap(count).putInt(16, Integer.MAX_VALUE);   // reply count beyond the bytes
        assertCorrupt(withChecksum(count), "count");
        byte[] order = good.clone();
        int secondReply = 20 + ReplyRecords.length(good, 20);
        java.nio.ByteBuffer.wrap(order).putLong(secondReply, 1);     // the second reply at the first one's seq
        assertCorrupt(withChecksum(order), "not after the one before");
    }

    private static void assertCorrupt(byte[] bytes, String says) {
        SnapshotFormat.CorruptSnapshotException e = assertThrows(SnapshotFormat.CorruptSnapshotException.class,
                () -> SnapshotFormat.read(ChunkedBytes.of(bytes)));
        assertTrue(e.getMessage().contains(says), e.getMessage());
    }

    private static byte[] bytesOf(ChunkedBytes c) {
        return c.read(0, (int) c.size());
    }

    private static byte[] withChecksum(byte[] snapshot) {
        CRC32C crc = new CRC32C();
        crc.update(snapshot, 0, snapshot.length - 4);
        byte[] out = snapshot.clone();
        java.nio.ByteBuffer.wrap(out).putInt(out.length - 4, (int) crc.getValue());
        return out;
    }

    @Test
    void chunkedBytes_readBackWhatWasWritten_acrossBlocks() throws IOException {
        byte[] data = new byte[ChunkedBytes.BLOCK * 2 + 777];
        new SplittableRandom(5).nextBytes(data);
        ChunkedBytes c = new ChunkedBytes();
        c.output().write(data, 0, 100);
        c.output().write(data, 100, data.length - 100);
        c.seal();
        assertEquals(data.length, c.size());
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(data, ChunkedBytes.BLOCK - 5,
                ChunkedBytes.BLOCK + 5)), java.util.Arrays.toString(c.read(ChunkedBytes.BLOCK - 5, 10)));
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        c.input(0, c.size()).transferTo(all);
        assertTrue(java.util.Arrays.equals(data, all.toByteArray()));
    }

    @Test
    void aRequestIdWindowOfSeveralChunks_roundTripsThroughASnapshot_andAnEntryOutOfOrderIsRefused() throws Exception {
        int capacity = 30_000;                                      // about four chunks of the window
        DeliveryEngine engine = engine(10, capacity);
        List<TentativeAssignment> batch = new java.util.ArrayList<>();
        for (long s = 1; s <= 45_000; s++) {
            batch.add(ta(s, s % 7 == 0 ? "read-" + s : "r" + s));  // reads leave holes in the window
        }
        engine.apply(batch);
        ChunkedBytes bytes = engine.capture().write();
        RequestIdIndex.Window ids = SnapshotFormat.read(bytes).cache().ids();
        assertEquals(45_000, ids.latest());
        long calls = java.util.stream.LongStream.rangeClosed(45_001 - capacity, 45_000).filter(s -> s % 7 != 0).count();
        assertEquals(calls, ids.count(), "the ids of the last " + capacity + " seqs, and no reads");
        DeliveryEngine restored = new DeliveryEngine(new Appender(), new ReplyCache(10, capacity),
                new ConcurrentHashMap<>(), NodeObserver.NONE);
        restored.restore(SnapshotFormat.read(bytes));
        for (long s = 1; s <= 45_000; s += 97) {
            String id = s % 7 == 0 ? "read-" + s : "r" + s;
            assertEquals(describe(engine.replies().lookup(id)), describe(restored.replies().lookup(id)), id);
        }
        assertEquals(Reply.Outcome.EXPIRED, restored.replies().lookup("r20001").outcome());
        assertEquals(null, restored.replies().lookup("r15000"), "older than the window: unknown");

        // the second id entry given the seq of the first: refused, nothing restored
        byte[] raw = bytesOf(bytes);
        int firstEntry = idEntriesStart(raw);
        System.arraycopy(raw, firstEntry, raw, firstEntry + 16, 8);
        assertCorrupt(withChecksum(raw), "request id entry 1");
    }

    /** Where the request-id pairs of a snapshot start: after the header, the replies, latest and count. */
    private static int idEntriesStart(byte[] snapshot) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(snapshot);
        b.position(6 + 2 + 8);
        int replies = b.getInt();
        for (int i = 0; i < replies; i++) {
            b.position(b.position() + 8);
            for (int str = 0; str < 3; str++) {
                int length = b.getInt();
                b.position(b.position() + length + (str == 1 ? 1 : 0));   // the outcome byte follows the identity
            }
        }
        return b.position() + 8 + 4;
    }

    @Test
    void requestIdIndex_answersAsAMapOfTheLastCapacitySeqs_underRandomUse() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 50; round++) {
            int capacity = 1 + random.nextInt(40);
            RequestIdIndex index = new RequestIdIndex(capacity);
            Map<String, Long> reference = new HashMap<>();
            long seq = 0;
            for (int i = 0; i < 400; i++) {
                seq += 1 + random.nextInt(3);                      // some seqs carry no id (reads)
                String id = "id" + random.nextInt(200);
                if (reference.containsKey(id) && reference.get(id) > seq - capacity) {
                    continue;                                       // a repeat is never recorded twice
                }
                index.put(seq, id);
                reference.put(id, seq);
                for (int probe = 0; probe < 200; probe++) {
                    String p = "id" + probe;
                    Long expected = reference.get(p);
                    long want = expected != null && expected > seq - capacity ? expected : -1;
                    assertEquals(want, index.seqOf(p), "round " + round + " capacity " + capacity + " at seq "
                            + seq + ": " + p);
                }
            }
            RequestIdIndex copy = new RequestIdIndex(capacity);
            copy.restore(index.window());
            for (int probe = 0; probe < 200; probe++) {
                assertEquals(index.seqOf("id" + probe), copy.seqOf("id" + probe));
            }
        }
    }
}
