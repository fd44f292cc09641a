package net.totalorder.replication;

import static net.totalorder.replication.cluster.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.totalorder.replication.beans.Ledger;
import net.totalorder.replication.beans.RetryingCaller;
import net.totalorder.replication.cluster.TestCluster;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MicroProfile Fault Tolerance (SmallRye's, in each server's Weld container) composed with {@code @Replicated}:
 * attempts that time out and are retried — by {@code @Retry} on a caller up the stack or on the replicated method
 * itself — make their calls under the request ids of the first attempt, so each call is applied once and the retry
 * gets the first execution's reply.
 */
class FaultToleranceCompositionTest {

    private static final Duration QUIET = Duration.ofSeconds(20);
    private final ExecutorService callers = Executors.newSingleThreadExecutor();
    private TestCluster cluster;

    @AfterEach
    void stop() {
        callers.shutdownNow();
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void callerRetriesAttemptsThatTimedOutAfterTheCallWasApplied_theCallIsAppliedOnce_andTheRetryGetsItsReply()
            throws Exception {
        cluster = TestCluster.start(3, 41, Ledger.class, RetryingCaller.class);
        cluster.bean(1, Ledger.class).append("first", 1);
        int s = backup();
        // Nothing reaches server s: its call is ordered and applied by the two others, but s never hears of it, so
        // each attempt times out (300 ms) and is retried.
        AtomicBoolean cut = new AtomicBoolean(true);
        cluster.network().setDropFilter((from, to, m) -> cut.get() && to.equals("node" + s));
        RetryingCaller caller = cluster.bean(s, RetryingCaller.class);
        Future<Long> reply = callers.submit(() -> cluster.inRequest(s, null, () -> caller.append("once")));
        eventually(QUIET, "the others apply the call while attempts on node" + s + " time out",
                () -> countOn(other(s), "once") >= 1 && caller.attempts() >= 4);
        cut.set(false);
        long got = reply.get(20, TimeUnit.SECONDS);
        assertEquals(2, got, "the reply of the one execution (total after it)");
        assertAppliedOnceEverywhere("once");
        assertTrue(caller.attempts() >= 4, "attempts: " + caller.attempts());
    }

    @Test
    void retriedAttemptMakesTwoCallsAgain_theOneAlreadyAnsweredIsNotAppliedAgain_andBothKeepTheirIds()
            throws Exception {
        cluster = TestCluster.start(3, 42, Ledger.class, RetryingCaller.class);
        cluster.bean(1, Ledger.class).append("warm-up", 1);
        int s = backup();
        // The second call's GetSeq from s is dropped: the first call is answered, the second times out.
        List<String> idsFromS = new CopyOnWriteArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicBoolean cut = new AtomicBoolean(true);
        cluster.network().setDropFilter((from, to, m) -> {
            if (!from.equals("node" + s) || !(m instanceof GetSeq g)) {
                return false;
            }
            if (seen.add(g.reqId())) {
                idsFromS.add(g.reqId());
            }
            return cut.get() && g.reqId().equals(idsFromS.size() > 1 ? idsFromS.get(1) : null);
        });
        RetryingCaller caller = cluster.bean(s, RetryingCaller.class);
        Future<Long> reply = callers.submit(() -> cluster.inRequest(s, null,
                () -> caller.appendBoth("one", "two")));
        eventually(QUIET, "attempts on node" + s + " time out on the second call", () -> caller.attempts() >= 4);
        cut.set(false);
        long got = reply.get(20, TimeUnit.SECONDS);
        assertEquals(3, got);
        assertEquals(2, idsFromS.size(), "request ids sent by node" + s + " over all attempts: " + idsFromS);
        assertAppliedOnceEverywhere("one");
        assertAppliedOnceEverywhere("two");
    }

    @Test
    void retryOnTheReplicatedMethodItself_reusesItsRequestId() throws Exception {
        cluster = TestCluster.start(3, 43, n -> n.withTimeouts(400, 150, 100), Ledger.class);
        cluster.bean(1, Ledger.class).append("first", 1);
        int s = backup();
        AtomicBoolean cut = new AtomicBoolean(true);
        Set<String> idsFromS = ConcurrentHashMap.newKeySet();
        AtomicInteger getSeqsFromS = new AtomicInteger();
        cluster.network().setDropFilter((from, to, m) -> {
            if (from.equals("node" + s) && m instanceof GetSeq g) {
                idsFromS.add(g.reqId());
                getSeqsFromS.incrementAndGet();
            }
            return cut.get() && to.equals("node" + s);
        });
        Ledger ledger = cluster.bean(s, Ledger.class);
        long began = System.nanoTime();
        Future<Long> reply = callers.submit(() -> cluster.inRequest(s, null,
                () -> ledger.appendUntilOrdered("once", 1)));
        // each wait ends after the 400 ms call timeout in ReplicationUnavailableException, which @Retry retries:
        // the cut lasts three call timeouts, so that at least two attempts are retried
        eventually(QUIET, "the others apply the call, and node" + s + " stays cut off for three call timeouts",
                () -> countOn(other(s), "once") == 1 && System.nanoTime() - began > 1_200_000_000L);
        cut.set(false);
        assertEquals(2, reply.get(20, TimeUnit.SECONDS));
        assertEquals(1, idsFromS.size(), "request ids sent by node" + s + ": " + idsFromS);
        assertTrue(getSeqsFromS.get() >= 3, "GetSeq sent by node" + s + ": " + getSeqsFromS.get());
        assertAppliedOnceEverywhere("once");
    }

    /** A server whose sequencer replica is a backup: cutting it off leaves the others ordering. */
    private int backup() {
        for (int i = cluster.size(); i >= 1; i--) {
            if (!"PRIMARY".equals(cluster.binding(i).node().status().role())) {
                return i;
            }
        }
        throw new AssertionError("no backup");
    }

    private int other(int s) {
        return s == 1 ? 2 : 1;
    }

    private long countOn(int server, String entry) {
        Ledger ledger = cluster.bean(server, Ledger.class);
        try {
            return cluster.binding(server).node().readLocally(() -> ledger.countHere(entry));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertAppliedOnceEverywhere(String entry) {
        for (int i = 1; i <= cluster.size(); i++) {
            int server = i;
            eventually(QUIET, "node" + i + " applies " + entry, () -> countOn(server, entry) >= 1);
            assertEquals(1, countOn(i, entry), entry + " applied on node" + i);
        }
    }
}
