package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * The reply cache kept as flat records: it answers exactly as a map of the replies of the last {@code retention}
 * seqs would, whatever the sizes of the replies (some longer than a chunk), through snapshots, and its memory stays
 * bounded by the retention, not by the calls.
 */
class ReplyCacheTest {

    /** A reply whose value is {@code length} characters, some of them outside ASCII. */
    private static Reply reply(long seq, String id, int length, boolean readOnly) {
        StringBuilder value = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            value.append(i % 13 == 0 ? 'é' : (char) ('a' + i % 26));
        }
        return Reply.returned(seq, id, "m(" + id + ")", value.toString(), readOnly);
    }

    @Test
    void answersAsAMapOfTheLastRetentionSeqs_withRepliesOfAnySize_andThroughASnapshot() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 20; round++) {
            int retention = 1 + random.nextInt(2_000);
            ReplyCache cache = new ReplyCache(retention, retention * 2);
            Map<String, Reply> reference = new LinkedHashMap<>();
            long seq = 0;
            for (int i = 0; i < 6_000; i++) {
                seq += 1 + (random.nextInt(10) == 0 ? 1 : 0);     // a seq answered from the cache records nothing
                int length = random.nextInt(100) == 0 ? ReplyRecords.CHUNK + random.nextInt(1_000)
                        : random.nextInt(120);
                boolean read = random.nextInt(8) == 0;
                Reply r = reply(seq, "id-" + seq, length, read);
                cache.record(r);
                if (!read) {
                    reference.put(r.requestId(), r);
                }
                long oldest = seq - retention;
                reference.values().removeIf(kept -> kept.seq() <= oldest);
                if (random.nextInt(50) == 0) {
                    String probe = "id-" + (1 + random.nextLong(seq));
                    assertEquals(describe(reference.get(probe)), describe(cache.get(probe)), "round " + round);
                }
            }
            assertEquals(reference.size(), cache.size(), "round " + round);
            for (Reply kept : reference.values()) {
                assertEquals(kept.describe(), cache.get(kept.requestId()).describe());
            }
            ReplyCache restored = new ReplyCache(retention, retention * 2);
            restored.restore(cache.contents());
            assertEquals(reference.size(), restored.size());
            for (long s = Math.max(1, seq - retention * 2L); s <= seq; s++) {
                String id = "id-" + s;
                assertEquals(describe(cache.lookup(id)), describe(restored.lookup(id)), id);
            }
        }
    }

    @Test
    void itsMemoryFollowsTheRetention_notTheCalls() {
        ReplyCache cache = new ReplyCache(1_000, 2_000);
        long afterFirstWindow = 0;
        for (long seq = 1; seq <= 1_000_000; seq++) {
            cache.record(reply(seq, "r" + seq, 20, false));
            if (seq == 2_000) {
                afterFirstWindow = cache.heldBytes();
            }
        }
        assertEquals(1_000, cache.size());
        assertTrue(cache.heldBytes() <= afterFirstWindow + ReplyRecords.CHUNK,
                cache.heldBytes() + " bytes held after a million replies, " + afterFirstWindow + " after 2,000");
        assertNull(cache.get("r999000"), "evicted");
        assertEquals("r999001", cache.get("r999001").requestId());
        assertEquals(Reply.Outcome.EXPIRED, cache.lookup("r998500").outcome(), "its id is still known");
    }

    @Test
    void aSeqRecordedTwiceOrOutOfOrder_isRefused_andChangesNothing() {
        ReplyCache cache = new ReplyCache(10, 10);
        cache.record(reply(5, "a", 3, false));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> cache.record(reply(5, "b", 3, false)));
        assertTrue(e.getMessage().contains("seq 5 recorded after seq 5"), e.getMessage());
        assertNull(cache.get("b"));
        assertEquals(1, cache.size());
    }

    @Test
    void aCallersRetryCheck_onAnotherThread_seesWholeReplies() throws Exception {
        ReplyCache cache = new ReplyCache(500, 1_000);
        AtomicReference<String> wrong = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 200_000 && wrong.get() == null; i++) {
                long probe = 1 + (i % 20_000);
                Reply r = cache.get("r" + probe);
                if (r != null && (r.seq() != probe || !r.value().equals(reply(probe, "r" + probe, 40, false)
                        .value()))) {
                    wrong.set(r.describe());
                }
            }
        });
        reader.start();
        for (long seq = 1; seq <= 20_000; seq++) {
            cache.record(reply(seq, "r" + seq, 40, false));
        }
        reader.join();
        assertNull(wrong.get());
    }

    private static String describe(Reply r) {
        return r == null ? "none" : r.describe();
    }
}
