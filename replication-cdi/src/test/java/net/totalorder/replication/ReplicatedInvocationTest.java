package net.totalorder.replication;

import static net.totalorder.replication.cluster.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import net.totalorder.replication.api.IdempotencyKeyReusedException;
import net.totalorder.replication.api.ReplicationReceipt;
import net.totalorder.replication.beans.Ledger;
import net.totalorder.replication.beans.LedgerException;
import net.totalorder.replication.cdi.ReadMode;
import net.totalorder.replication.cluster.TestCluster;
import net.totalorder.replication.core.Reply;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @Replicated} end to end on three servers in one JVM (a Weld container each) over a lossy in-JVM network:
 * total order, exactly once, retries, exceptions, gap filling, determinism and refused input.
 */
class ReplicatedInvocationTest {

    private static final Duration QUIET = Duration.ofSeconds(20);
    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private TestCluster start(long seed) {
        cluster = TestCluster.start(3, seed, Ledger.class);
        return cluster;
    }

    /** Waits until all replicas applied the same seq, then checks they hold the same state and reply logs. */
    private void assertReplicasAgree() {
        eventually(QUIET, "all replicas apply the same seqs", () -> {
            long a = cluster.binding(1).node().appliedSeq();
            return a > 0 && a == cluster.binding(2).node().appliedSeq() && a == cluster.binding(3).node().appliedSeq();
        });
        List<String> log = cluster.binding(1).replyLog();
        for (int i = 2; i <= 3; i++) {
            assertEquals(log, cluster.binding(i).replyLog(), "reply log of node" + i + " differs from node1's");
            assertEquals(cluster.bean(1, Ledger.class).sizeHere(), cluster.bean(i, Ledger.class).sizeHere());
        }
        List<String> entries = cluster.bean(1, Ledger.class).entries();
        for (int i = 2; i <= 3; i++) {
            assertEquals(entries, cluster.bean(i, Ledger.class).entries(), "state of node" + i);
        }
    }

    @Test
    void concurrentCallersOnEveryServer_endWithIdenticalStateAndReplyLogs() throws Exception {
        start(1).network().setConditions(0.05, 0.05, 3);
        int threadsPerServer = 4;
        int callsPerThread = 25;
        ExecutorService callers = Executors.newFixedThreadPool(3 * threadsPerServer);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int server = 1; server <= 3; server++) {
            Ledger ledger = cluster.bean(server, Ledger.class);
            for (int t = 0; t < threadsPerServer; t++) {
                String caller = "s" + server + "t" + t;
                results.add(callers.submit(() -> {
                    List<Long> totals = new ArrayList<>();
                    for (int c = 0; c < callsPerThread; c++) {
                        totals.add(ledger.append(caller + "-" + c, 1));
                    }
                    return totals;
                }));
            }
        }
        Set<Long> totals = new HashSet<>();
        for (Future<List<Long>> f : results) {
            totals.addAll(f.get());
        }
        callers.shutdown();
        int calls = 3 * threadsPerServer * callsPerThread;
        // Each call saw a distinct running total: the calls were applied one at a time, in one order.
        assertEquals(calls, totals.size());
        assertEquals(calls, cluster.bean(2, Ledger.class).total());
        assertReplicasAgree();
        assertEquals(calls, cluster.bean(3, Ledger.class).entries().size());
    }

    @Test
    void retryWithTheSameKeyOnAnotherServer_isExecutedOnceAndGetsTheFirstReply() throws Exception {
        start(2);
        long first = cluster.inRequest(1, "order-17", () -> cluster.bean(1, Ledger.class).append("order-17", 40));
        long retry = cluster.inRequest(3, "order-17", () -> {
            long total = cluster.bean(3, Ledger.class).append("order-17", 40);
            assertEquals(1, cluster.bean(3, ReplicationReceipt.class).sequence(), "the first call's seq");
            return total;
        });
        long again = cluster.inRequest(1, "order-17", () -> cluster.bean(1, Ledger.class).append("order-17", 40));
        assertEquals(40, first);
        assertEquals(first, retry);
        assertEquals(first, again);
        assertEquals(1, cluster.bean(2, Ledger.class).entries().size(), "executed once");
        assertEquals(40, cluster.bean(2, Ledger.class).total());
        assertReplicasAgree();
    }

    @Test
    void keyReusedForADifferentCall_isRefusedAndChangesNothing() throws Exception {
        start(3);
        cluster.inRequest(1, "k", () -> cluster.bean(1, Ledger.class).append("a", 1));
        assertThrows(IdempotencyKeyReusedException.class,
                () -> cluster.inRequest(2, "k", () -> cluster.bean(2, Ledger.class).append("b", 2)));
        assertEquals(List.of("1:a"), cluster.bean(3, Ledger.class).entries());
        assertEquals(1, cluster.bean(3, Ledger.class).total());
        assertReplicasAgree();
    }

    @Test
    void exceptionThrownByTheMethod_reachesTheCallerOnEveryRetry_andEveryReplicaStaysEqual() throws Exception {
        start(4);
        cluster.bean(1, Ledger.class).append("before", 5);
        LedgerException first = assertThrows(LedgerException.class,
                () -> cluster.inRequest(2, "bad", () -> cluster.bean(2, Ledger.class).append("bad", -3)));
        assertEquals("negative amount -3 for bad", first.getMessage());
        for (int server = 1; server <= 3; server++) {
            int s = server;
            LedgerException retry = assertThrows(LedgerException.class,
                    () -> cluster.inRequest(s, "bad", () -> cluster.bean(s, Ledger.class).append("bad", -3)));
            assertEquals(first.getMessage(), retry.getMessage());
        }
        assertSame(first, assertThrows(LedgerException.class,
                () -> cluster.inRequest(2, "bad", () -> cluster.bean(2, Ledger.class).append("bad", -3))),
                "the caller's server rethrows its own instance");
        assertEquals(List.of("1:before"), cluster.bean(3, Ledger.class).entries());
        assertReplicasAgree();
        assertTrue(cluster.binding(3).replyLog().get(1).contains("THREW"), cluster.binding(3).replyLog().toString());
    }

    @Test
    void replicaThatMissesTheOrderedLog_catchesUpByFetchingMissingAssignments() throws Exception {
        start(5);
        // node3's sequencer replica never receives a WriteMaj: it learns nothing definitive by itself.
        cluster.network().setDropFilter((from, to, m) -> to.equals("node3") && m instanceof WriteMaj);
        for (int i = 0; i < 10; i++) {
            cluster.bean(1 + i % 2, Ledger.class).append("e" + i, 1);
        }
        // A call on node3 is ordered at seq 11 through the primary; node3 must fetch 1..11 to apply it.
        assertEquals(11, cluster.bean(3, Ledger.class).append("from-node3", 1));
        assertEquals(0, cluster.binding(3).node().onProtocolThread(
                () -> cluster.binding(3).node().sequencerReplica().definitiveUpTo()).longValue(),
                "node3's sequencer replica really missed everything");
        assertEquals(11, cluster.bean(3, Ledger.class).sizeHere());
        cluster.network().setDropFilter((from, to, m) -> false);
        assertReplicasAgree();
    }

    @Test
    void forgedPayload_isRejectedByEveryReplicaWithoutTouchingState() throws Exception {
        start(6);
        cluster.bean(1, Ledger.class).append("real", 1);
        // A GetSeq whose payload is not an invocation, as a buggy or malicious member could send it.
        byte[] forged = "\0\0\0\0\0\0\0\0{\"m\":\"java.lang.Runtime#exec(java.lang.String)\",\"a\":[\"rm\"]}"
                .getBytes(StandardCharsets.UTF_8);
        cluster.binding(2).node().receive("node2", new GetSeq("forged-1", forged));
        cluster.binding(1).node().receive("node2", new GetSeq("forged-1", forged));
        eventually(QUIET, "the forged request is ordered and applied everywhere",
                () -> cluster.binding(1).node().reply("forged-1") != null
                        && cluster.binding(2).node().reply("forged-1") != null
                        && cluster.binding(3).node().reply("forged-1") != null);
        for (int i = 1; i <= 3; i++) {
            Reply r = cluster.binding(i).node().reply("forged-1");
            assertEquals(Reply.Outcome.REJECTED, r.outcome());
            assertTrue(r.value().contains("not a replicated method"), r.value());
        }
        assertEquals(List.of("1:real"), cluster.bean(2, Ledger.class).entries());
        assertReplicasAgree();
    }

    @Test
    void oversizedCall_isRefusedBeforeItIsOrdered() throws Exception {
        start(7);
        cluster.bean(1, Ledger.class).append("small", 1);                     // seq 1
        String huge = "x".repeat(2 << 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cluster.bean(2, Ledger.class).append(huge, 1));
        assertTrue(e.getMessage().contains("more than the limit"), e.getMessage());
        long nextSeq = cluster.inRequest(3, null, () -> {
            cluster.bean(3, Ledger.class).append("next", 1);
            return cluster.bean(3, ReplicationReceipt.class).sequence();
        });
        assertEquals(2, nextSeq, "the refused call took a seq: the next call came after something else");
        assertEquals(List.of("1:small", "2:next"), cluster.bean(3, Ledger.class).entries());
    }

    @Test
    void replicationContext_givesEveryReplicaTheSameTimeAndRandomness() throws Exception {
        start(8);
        String a = cluster.bean(2, Ledger.class).stamp("a");
        String b = cluster.bean(3, Ledger.class).stamp("b");
        assertNotEquals(a.substring(a.indexOf('#')), b.substring(b.indexOf('#')));
        assertReplicasAgree();                                  // the stamped entries are equal everywhere
        assertEquals(List.of(a, b), cluster.bean(1, Ledger.class).entries());
    }

    @Test
    void replicatedCallInsideAReplicatedMethod_isPartOfThatInvocation() throws Exception {
        start(9);
        assertEquals(6, cluster.bean(2, Ledger.class).appendTwice("pair", 3));
        assertEquals(List.of("1:pair-1", "1:pair-2"), cluster.bean(1, Ledger.class).entries(),
                "both nested appends ran at the seq of appendTwice");
        assertReplicasAgree();
    }

    /**
     * The default read mode: a read on any server sees every call acknowledged before it began — here, a write
     * acknowledged on another server an instant earlier — and takes no seq; its receipt names the seq whose state it
     * read.
     */
    @Test
    void linearizableReads_seeEveryAcknowledgedCall_andTakeNoSeq() throws Exception {
        start(11);
        for (int i = 1; i <= 60; i++) {
            int writer = 1 + i % 3;
            int reader = 1 + (i + 1) % 3;
            cluster.bean(writer, Ledger.class).append("w" + i, 1);
            int at = i;
            long seen = cluster.inRequest(reader, null, () -> {
                assertEquals(at, cluster.bean(reader, Ledger.class).total(), "node" + reader + " read " + at);
                return cluster.bean(reader, ReplicationReceipt.class).sequence();
            });
            assertTrue(seen >= i, "the read's receipt names seq " + seen + ", before the write at seq " + i);
        }
        assertReplicasAgree();
        for (int n = 1; n <= 3; n++) {
            assertEquals(60, cluster.binding(n).node().appliedSeq(), "the 60 reads took no seq on node" + n);
        }
    }

    @Test
    void readsServedLocally_whenConfigured_areNotOrdered() throws Exception {
        start(10);
        cluster.bean(1, Ledger.class).append("w", 2);
        eventually(QUIET, "node3 applied the write", () -> cluster.binding(3).node().appliedSeq() == 1);
        cluster.binding(3).setReads(ReadMode.LOCAL_STALE);
        assertEquals(2, cluster.bean(3, Ledger.class).total());
        assertEquals(1, cluster.binding(3).node().appliedSeq(), "a local read adds nothing to the order");
    }
}
