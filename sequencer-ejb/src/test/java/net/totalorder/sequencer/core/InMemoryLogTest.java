package net.totalorder.sequencer.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The log kept as flat records answers exactly as a list of assignments after a base would, under random appends
 * (ids repeated, not ASCII, payloads longer than a chunk), truncations, compactions and resets; and bad calls are
 * refused without changing it.
 */
class InMemoryLogTest {

    /** The obvious log: a list after a base. */
    private static final class Reference {
        final List<TentativeAssignment> entries = new ArrayList<>();
        long base;
        long baseEpoch;

        long last() {
            return base + entries.size();
        }

        Long seqOf(String id) {
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (entries.get(i).reqId().equals(id)) {
                    return entries.get(i).seq();
                }
            }
            return null;
        }

        long bytes() {
            long n = 0;
            for (TentativeAssignment ta : entries) {
                n += ta.reqId().getBytes(StandardCharsets.UTF_8).length + ta.payload().length + 24L;
            }
            return n;
        }
    }

    @Test
    void answersAsAListAfterABase_underRandomUse() {
        for (int seed = 0; seed < 30; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            InMemoryLog log = new InMemoryLog();
            Reference ref = new Reference();
            long epoch = 1;
            for (int step = 0; step < 3_000; step++) {
                int op = random.nextInt(100);
                if (op < 80) {
                    String id = (random.nextInt(5) == 0 ? "é-" : "r-") + random.nextInt(400);
                    int length = random.nextInt(300) == 0 ? InMemoryLog.CHUNK + random.nextInt(100)
                            : 1 + random.nextInt(60);
                    byte[] payload = new byte[length];
                    random.nextBytes(payload);
                    if (random.nextInt(50) == 0) {
                        epoch++;
                    }
                    TentativeAssignment ta = new TentativeAssignment(id, ref.last() + 1, epoch, payload);
                    log.append(ta);
                    ref.entries.add(ta);
                } else if (op < 88 && !ref.entries.isEmpty()) {
                    long from = ref.base + 1 + random.nextLong(ref.entries.size());
                    log.truncateFrom(from);
                    ref.entries.subList((int) (from - ref.base - 1), ref.entries.size()).clear();
                } else if (op < 97 && !ref.entries.isEmpty()) {
                    long upTo = ref.base + 1 + random.nextLong(ref.entries.size());
                    long newBaseEpoch = ref.entries.get((int) (upTo - ref.base - 1)).epoch();
                    log.compactUpTo(upTo);
                    ref.entries.subList(0, (int) (upTo - ref.base)).clear();
                    ref.base = upTo;
                    ref.baseEpoch = newBaseEpoch;
                } else if (op < 98) {
                    long to = ref.last() + random.nextInt(5);
                    log.resetTo(to, epoch);
                    ref.entries.clear();
                    ref.base = to;
                    ref.baseEpoch = epoch;
                }
                assertSame(ref, log, random, "seed " + seed + " step " + step);
            }
        }
    }

    private static void assertSame(Reference ref, InMemoryLog log, SplittableRandom random, String where) {
        assertEquals(ref.base, log.baseSeq(), where);
        assertEquals(ref.baseEpoch, log.baseEpoch(), where);
        assertEquals(ref.last(), log.lastSeq(), where);
        assertEquals(ref.bytes(), log.heldBytes(), where);
        assertEquals(ref.baseEpoch, log.epochAt(ref.base), where);
        assertNull(log.get(ref.base), where);
        assertNull(log.get(ref.last() + 1), where);
        for (int probe = 0; probe < 3 && !ref.entries.isEmpty(); probe++) {
            TentativeAssignment expected = ref.entries.get(random.nextInt(ref.entries.size()));
            assertEquals(expected, log.get(expected.seq()), where);
            assertEquals(expected.epoch(), log.epochAt(expected.seq()), where);
            assertEquals(ref.seqOf(expected.reqId()), log.seqOf(expected.reqId()), where);
        }
        String id = "r-" + random.nextInt(400);
        assertEquals(ref.seqOf(id), log.seqOf(id), where + " " + id);
        if (!ref.entries.isEmpty()) {
            long from = ref.base + 1 + random.nextInt(ref.entries.size());
            List<TentativeAssignment> range = log.range(from, from + 5, 100);
            List<TentativeAssignment> expected = new ArrayList<>();
            long bytes = 0;
            for (long s = from; s <= Math.min(from + 5, ref.last()) && bytes < 100; s++) {
                TentativeAssignment ta = ref.entries.get((int) (s - ref.base - 1));
                expected.add(ta);
                bytes += ta.size();
            }
            assertEquals(expected, range, where);
        }
    }

    @Test
    void itsMemoryFollowsWhatItHolds_notWhatPassedThrough() {
        InMemoryLog log = new InMemoryLog();
        byte[] payload = new byte[16];
        int mostChunks = 0;
        for (long s = 1; s <= 2_000_000; s++) {
            log.append(new TentativeAssignment("node1-" + s, s, 1, payload));
            mostChunks = Math.max(mostChunks, log.chunks());
            if (s % 50_000 == 0) {
                log.compactUpTo(s - 1_000);
            }
        }
        assertEquals(1_000, log.lastSeq() - log.baseSeq());
        assertEquals(Long.valueOf(1_999_999), log.seqOf("node1-1999999"));
        assertNull(log.seqOf("node1-1998999"), "compacted");
        assertEquals(1_000L * ("node1-1999999".length() + 16 + 24), log.heldBytes());
        // 51,000 records of 45 bytes (epoch, id and payload with their lengths) at most between compactions
        assertTrue(mostChunks <= 51_000 * 45 / InMemoryLog.CHUNK + 2, mostChunks + " chunks, whatever passed through");
        assertTrue(log.chunks() <= 2, log.chunks() + " chunks after the last compaction");
    }

    @Test
    void assignmentsAppendedLongAgo_areBuiltAgainFromTheirRecords_andARewrittenSeqReadsItsNewAssignment() {
        InMemoryLog log = new InMemoryLog();
        List<TentativeAssignment> expected = new ArrayList<>();
        for (long s = 1; s <= 10_000; s++) {
            TentativeAssignment ta = new TentativeAssignment("old-" + s, s, 1, new byte[] {(byte) s, 7});
            log.append(ta);
            expected.add(ta);
        }
        for (long s = 1; s <= 10_000; s++) {                       // the first ~5,900 are built from their records
            assertEquals(expected.get((int) s - 1), log.get(s), "seq " + s);
        }
        log.truncateFrom(2_000);                                    // both kinds of seq rewritten in a new epoch
        for (long s = 2_000; s <= 3_000; s++) {
            TentativeAssignment ta = new TentativeAssignment("new-" + s, s, 2, new byte[] {(byte) -s});
            log.append(ta);
            expected.set((int) s - 1, ta);
        }
        for (long s = 1; s <= 3_000; s++) {
            assertEquals(expected.get((int) s - 1), log.get(s), "seq " + s);
        }
        assertNull(log.get(3_001));
        assertNull(log.seqOf("old-2500"));
        assertEquals(Long.valueOf(2_500), log.seqOf("new-2500"));
    }

    @Test
    void badCalls_areRefused_andChangeNothing() {
        InMemoryLog log = new InMemoryLog();
        log.append(new TentativeAssignment("a", 1, 1, new byte[] {1}));
        log.append(new TentativeAssignment("b", 2, 1, new byte[] {2}));
        IllegalStateException gap = assertThrows(IllegalStateException.class,
                () -> log.append(new TentativeAssignment("c", 4, 1, new byte[] {3})));
        assertTrue(gap.getMessage().contains("gap after seq 2"), gap.getMessage());
        log.compactUpTo(1);
        assertThrows(IllegalArgumentException.class, () -> log.truncateFrom(1));
        assertThrows(IllegalArgumentException.class, () -> log.compactUpTo(3));
        assertThrows(IllegalArgumentException.class, () -> log.epochAt(0));
        assertEquals(2, log.lastSeq());
        assertEquals(1, log.baseSeq());
        assertEquals("b", log.get(2).reqId());
        assertEquals(Long.valueOf(2), log.seqOf("b"));
        assertNull(log.seqOf("a"));
    }
}
