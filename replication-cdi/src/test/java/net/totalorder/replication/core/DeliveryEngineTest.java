package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;

/** The holdback queue and the delivery engine, without CDI or network: order, exactly once, gaps. */
class DeliveryEngineTest {

    private static TentativeAssignment ta(long seq, String reqId) {
        return new TentativeAssignment(reqId, seq, 1, ("call " + reqId).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void holdbackQueue_releasesEveryPermutationInSeqOrder_ignoringDuplicates() {
        SplittableRandom random = new SplittableRandom(3);
        for (int round = 0; round < 200; round++) {
            List<TentativeAssignment> arrivals = new ArrayList<>();
            for (long s = 1; s <= 30; s++) {
                arrivals.add(ta(s, "r" + s));
                if (random.nextInt(4) == 0) {
                    arrivals.add(ta(s, "r" + s));       // duplicate delivery
                }
            }
            Collections.shuffle(arrivals, new java.util.Random(random.nextLong()));
            HoldbackQueue queue = new HoldbackQueue(0);
            List<Long> released = new ArrayList<>();
            for (TentativeAssignment a : arrivals) {
                for (TentativeAssignment r : queue.offer(a)) {
                    released.add(r.seq());
                }
            }
            List<Long> expected = new ArrayList<>();
            for (long s = 1; s <= 30; s++) {
                expected.add(s);
            }
            assertEquals(expected, released, "round " + round);
            assertEquals(0, queue.lowestHeld());
        }
    }

    @Test
    void engine_appliesInOrderOnce_andAnswersWaiters() throws Exception {
        List<Long> applied = Collections.synchronizedList(new ArrayList<>());
        try (DeliveryEngine engine = new DeliveryEngine("t", a -> {
            applied.add(a.seq());
            return Reply.returned(a.seq(), a.reqId(), "id", "\"ok\"");
        }, 100)) {
            var third = engine.awaitApplied(3);
            engine.onDefinitive(ta(3, "c"), 0);
            engine.onDefinitive(ta(1, "a"), 0);
            assertFalse(third.isDone());
            engine.onDefinitive(ta(2, "b"), 0);
            third.get(5, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L), applied);
            // the same request ordered a second time (at seq 4) is not executed again
            engine.onDefinitive(ta(4, "a"), 0);
            engine.awaitApplied(4).get(5, TimeUnit.SECONDS);
            assertEquals(List.of(1L, 2L, 3L), applied);
            assertEquals(1, engine.replies().get("a").seq());
            assertEquals(4, engine.appliedSeq());
        }
    }

    @Test
    void engine_reportsAGapOnlyAfterTheTimeout_thenOncePerTimeout() {
        try (DeliveryEngine engine = new DeliveryEngine("t", a -> Reply.returned(a.seq(), a.reqId(), "", "1"), 10)) {
            assertEquals(0, engine.firstMissing(0, 100), "nothing known, nothing missing");
            engine.onDefinitive(ta(1, "a"), 0);
            engine.onDefinitive(ta(3, "c"), 0);       // 2 is missing
            assertEquals(0, engine.firstMissing(50, 100));
            assertEquals(2, engine.firstMissing(100, 100));
            assertEquals(0, engine.firstMissing(150, 100), "asked once per timeout");
            assertEquals(2, engine.firstMissing(200, 100));
            engine.onDefinitive(ta(2, "b"), 210);
            assertEquals(0, engine.firstMissing(400, 100));
            engine.noteExists(7);                    // a caller was told of seq 7
            assertEquals(4, engine.firstMissing(500, 100));
        }
    }

    @Test
    void replyCache_keepsTheRepliesOfTheLastSeqsOnly() {
        ReplyCache cache = new ReplyCache(3);
        for (long s = 1; s <= 5; s++) {
            cache.put(Reply.returned(s, "r" + s, "", "1"));
        }
        assertNull(cache.get("r1"));
        assertNull(cache.get("r2"));
        assertTrue(cache.get("r3") != null && cache.get("r5") != null);
        assertEquals(3, cache.size());
    }
}
