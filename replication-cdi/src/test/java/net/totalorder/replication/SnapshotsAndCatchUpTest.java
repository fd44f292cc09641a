package net.totalorder.replication;

import static net.totalorder.replication.cluster.TestCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import net.totalorder.replication.api.ReplicaStatus;
import net.totalorder.replication.api.ReplicationMonitor;
import net.totalorder.replication.api.ReplicationUnavailableException;
import net.totalorder.replication.api.ReplyExpiredException;
import net.totalorder.replication.beans.Ledger;
import net.totalorder.replication.cluster.TestCluster;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Snapshots, compaction, catch-up by snapshot and fail-stop, end to end on three servers in one JVM (a Weld
 * container each, real threads) over the in-JVM network.
 */
class SnapshotsAndCatchUpTest {

    private static final Duration QUIET = Duration.ofSeconds(20);
    private TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private void awaitAgreement() {
        eventually(QUIET, "all replicas apply the same seqs", () -> {
            long a = cluster.binding(1).node().appliedSeq();
            return a > 0 && a == cluster.binding(2).node().appliedSeq() && a == cluster.binding(3).node().appliedSeq();
        });
        List<String> entries = cluster.bean(1, Ledger.class).entries();
        for (int i = 2; i <= 3; i++) {
            assertEquals(entries, cluster.bean(i, Ledger.class).entries(), "state of node" + i);
        }
    }

    private ReplicaStatus status(int i) {
        return cluster.bean(i, ReplicationMonitor.class).status();
    }

    @Test
    void serverRestartedAfterTheOthersCompacted_catchesUpBySnapshotInChunks_andAgrees() throws Exception {
        cluster = TestCluster.start(3, 21, s -> s.withSnapshots(20, 64L << 20, 256), Ledger.class);
        for (int i = 0; i < 30; i++) {
            cluster.bean(1 + i % 2, Ledger.class).append("before-" + i, 1);
        }
        cluster.stop(3);
        for (int i = 0; i < 100; i++) {
            int server = 1 + i % 2;
            cluster.inRequest(server, "k" + i, () -> cluster.bean(server, Ledger.class).append("while-down", 1));
        }
        eventually(QUIET, "node1 compacted its log past what node3 held", () -> {
            try {
                return cluster.binding(1).node().onProtocolThread(
                        () -> cluster.binding(1).node().sequencerReplica().baseSeq()) > 30;
            } catch (Exception e) {
                return false;
            }
        });
        cluster.restart(3);
        eventually(QUIET, "node3 is ready again", () -> status(3).ready());
        assertTrue(status(3).snapshotsInstalled() >= 1, "node3 caught up by snapshot: " + status(3));
        assertTrue(cluster.binding(3).replyLog().contains("restored a snapshot"));
        // a retry on the restarted server is answered from the reply cache its snapshot carried
        assertEquals(130, cluster.inRequest(3, "k99", () -> cluster.bean(3, Ledger.class).append("while-down", 1)),
                "the first reply of k99, not a second execution");
        assertEquals(130, cluster.bean(2, Ledger.class).total());
        cluster.bean(3, Ledger.class).append("after", 1);
        awaitAgreement();
        assertEquals(131, cluster.bean(1, Ledger.class).total());
    }

    @Test
    void retryAfterItsReplyWasEvicted_getsReplyExpiredNamingItsSeq_andIsNotExecutedAgain() throws Exception {
        cluster = TestCluster.start(3, 22, s -> s.withRetention(5, 10_000).withSnapshots(10, 64L << 20, 1024),
                Ledger.class);
        assertEquals(7, cluster.inRequest(1, "early", () -> cluster.bean(1, Ledger.class).append("early", 7)));
        for (int i = 0; i < 40; i++) {
            cluster.bean(2, Ledger.class).append("filler-" + i, 1);
        }
        // node3 may not have applied the fillers yet: until it has, it still keeps the first reply and rightly
        // answers the retry with it
        awaitAgreement();
        ReplyExpiredException e = assertThrows(ReplyExpiredException.class,
                () -> cluster.inRequest(3, "early", () -> cluster.bean(3, Ledger.class).append("early", 7)));
        assertEquals(1, e.sequence(), e.getMessage());
        awaitAgreement();
        assertEquals(47, cluster.bean(2, Ledger.class).total(), "executed once");
    }

    @Test
    void anErrorInAReplicatedMethod_stopsEveryReplicaThatAppliesIt_whichSaysWhy_andServesNothingMore()
            throws Exception {
        cluster = TestCluster.start(3, 23, Ledger.class);
        // All three recovered first. A replica whose log is in memory starts by recovering from the others, and here
        // needs both to answer: had the primary's server stopped while one was still recovering, the remaining two
        // could never order again, and the caller's server would never learn of the failure (its call would time
        // out, which is right).
        eventually(QUIET, "all three replicas ready", () -> status(1).ready() && status(2).ready()
                && status(3).ready());
        cluster.bean(1, Ledger.class).append("fine", 1);
        ReplicationUnavailableException e = assertThrows(ReplicationUnavailableException.class,
                () -> cluster.bean(2, Ledger.class).breakDown("planted failure"));
        assertTrue(e.getMessage().contains("planted failure"), () -> e.getMessage() + "\n" + status(1) + "\n"
                + status(2) + "\n" + status(3));
        // The Error is deterministic: whichever replica applies seq 2 stops there (once the primary's server stops,
        // the others may lack the majority to learn seq 2 is definitive: they stop ordering, without applying it).
        eventually(QUIET, "the caller's replica stopped", () -> status(2).failure() != null);
        for (int i = 1; i <= 3; i++) {
            ReplicaStatus s = status(i);
            assertTrue(s.appliedSeq() <= 1, "node" + i + " applied past the failing invocation: " + s);
            if (s.failure() != null) {
                assertTrue(s.failure().contains("planted failure"), s.failure());
                assertTrue(!s.ready());
            }
        }
        long started = System.nanoTime();
        assertThrows(ReplicationUnavailableException.class, () -> cluster.bean(2, Ledger.class).append("more", 1));
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "refused at once, not after a timeout");
        assertEquals(1, cluster.binding(2).node().appliedSeq(), "nothing applied after the failure");
    }

    @Test
    void callsBeyondThePendingBound_areRefusedAtOnce() throws Exception {
        cluster = TestCluster.start(3, 24, s -> s.withBounds(512, 1, 10_000).withTimeouts(3_000, 150, 100),
                Ledger.class);
        cluster.bean(1, Ledger.class).append("fine", 1);
        cluster.network().setDropFilter((from, to, m) -> m instanceof GetSeq);   // nothing gets ordered
        Thread blocked = new Thread(() -> assertThrows(ReplicationUnavailableException.class,
                () -> cluster.bean(1, Ledger.class).append("waits", 1)));
        blocked.start();
        eventually(QUIET, "one call waits", () -> cluster.binding(1).node().status() != null
                && blocked.getState() == Thread.State.WAITING || blocked.getState() == Thread.State.TIMED_WAITING);
        ReplicationUnavailableException refused = assertThrows(ReplicationUnavailableException.class,
                () -> cluster.bean(1, Ledger.class).append("refused", 1));
        assertTrue(refused.getMessage().contains("already waiting"), refused.getMessage());
        blocked.join();
        cluster.network().setDropFilter((from, to, m) -> false);
        assertNotNull(cluster.bean(1, Ledger.class).entries());
    }
}
