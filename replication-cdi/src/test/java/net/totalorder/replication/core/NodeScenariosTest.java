package net.totalorder.replication.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import net.totalorder.replication.core.NodeSimulation.Server;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.Recover;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.TentativeAssignment;
import org.junit.jupiter.api.Test;

/**
 * Named faults on whole nodes, scripted in virtual time (the randomized runs cover their combinations): a primary
 * that crashes and comes back, a primary that stalls while its process stays in the group view, a primary cut off
 * from the others by a partition that later heals, and messages forged as if from a process that is not a member.
 * In each, the
 * pause callers see is measured over the whole window, until the faulty server is back and ready.
 */
class NodeScenariosTest {

    private static final long BEACON = 20;
    private static final long SUSPECT = 200;

    private static NodeSimulation world(long seed) {
        NodeSimulation sim = new NodeSimulation(seed, List.of("s1", "s2", "s3"), new NodeChecker(1_000),
                s -> s.withTimeouts(60_000, 100, 50).withSnapshots(40, 64L << 20, 200)
                        .withLeadership(BEACON, SUSPECT, 300),
                (m, self) -> new SequencerConfig(m, self, 5, 100, 100, 20, 20, 64, 1), 1,
                InMemorySnapshotStore::new);
        sim.setNetwork(0, 0, 1, 3);
        return sim;
    }

    private static NodeRun.Caller caller(NodeSimulation sim, String name, String home) {
        NodeRun.Caller c = new NodeRun.Caller(sim, name, home, 100_000, 4, 300, 0, new SplittableRandom(9),
                NodeRun.ReadPath.READ_INDEX);
        c.start();
        return c;
    }

    private static String primary(NodeSimulation sim) {
        return sim.servers().stream().filter(s -> !s.crashed() && "PRIMARY".equals(s.node.status().role()))
                .map(s -> s.name).findFirst().orElse(null);
    }

    /** Watches {@code name} every millisecond and fails if it leads while it is not ready. */
    private static void neverLeadsWhileCatchingUp(NodeSimulation sim, String name, long until) {
        sim.at(sim.now() + 1, null, new Runnable() {
            @Override
            public void run() {
                Server s = sim.server(name);
                if (!s.crashed()) {
                    NodeStatus st = s.node.status();
                    boolean leading = List.of("READING", "INSTALLING", "PRIMARY").contains(st.role());
                    if (leading && st.installingSnapshot()) {
                        throw new AssertionError(name + " leads while it is still catching up: " + st);
                    }
                }
                if (sim.now() < until) {
                    sim.at(sim.now() + 1, null, this);
                }
            }
        });
    }

    @Test
    void primaryCrashesAndComesBack_theOthersKeepOrdering_andItCatchesUpBySnapshotWithoutLeading() {
        NodeSimulation sim = world(1);
        NodeRun.Caller c2 = caller(sim, "c2", "s2");
        NodeRun.Caller c3 = caller(sim, "c3", "s3");
        assertTrue(sim.runUntil(() -> "s1".equals(primary(sim)), 3_000), "s1, the first member, leads");
        sim.runFor(1_000);
        long crashedAt = sim.now();
        sim.crash("s1");
        sim.runFor(1_500);                                   // the others compact past what s1 held meanwhile
        sim.restart("s1");
        neverLeadsWhileCatchingUp(sim, "s1", sim.now() + 5_000);
        assertTrue(sim.runUntil(() -> sim.server("s1").node.status().ready(), sim.now() + 5_000),
                "s1 is ready again: " + sim.server("s1").node.status());
        long readyAt = sim.now();
        sim.runFor(500);
        long silence = Math.max(c2.longestSilence(crashedAt, readyAt), c3.longestSilence(crashedAt, readyAt));
        System.out.printf("primary crash and return (virtual time): no call answered for at most %d ms between the "
                + "crash and the restarted server's readiness (%d ms later)%n", silence, readyAt - crashedAt);
        assertTrue(silence < 3 * SUSPECT, "callers stalled for " + silence + " ms");
        assertTrue(sim.server("s1").node.status().snapshotsInstalled() >= 1, "s1 caught up by snapshot");
        assertTrue(!"s1".equals(primary(sim)), "the returning server did not take the role back");
        assertConverged(sim);
    }

    @Test
    void primaryStallsInTheView_isSuspectedAndReplaced_thenStepsDown() {
        NodeSimulation sim = world(2);
        NodeRun.Caller c2 = caller(sim, "c2", "s2");
        NodeRun.Caller c3 = caller(sim, "c3", "s3");
        assertTrue(sim.runUntil(() -> "s1".equals(primary(sim)), 3_000), "s1, the first member, leads");
        sim.runFor(500);
        long stalledAt = sim.now();
        sim.pause("s1", stalledAt + 3_000);                  // a long GC: in the view, silent
        assertTrue(sim.runUntil(() -> List.of("s2", "s3").stream().anyMatch(
                s -> "PRIMARY".equals(sim.server(s).node.status().role())), stalledAt + 2_000),
                "another server took over from the stalled primary");
        long replacedAfter = sim.now() - stalledAt;
        assertTrue(sim.runUntil(() -> sim.now() > stalledAt + 3_000 && sim.server("s1").node.status().ready()
                && !"PRIMARY".equals(sim.server("s1").node.status().role()), stalledAt + 8_000),
                "s1 resumed, stepped down and caught up: " + sim.server("s1").node.status());
        long readyAt = sim.now();
        sim.runFor(500);
        long silence = Math.max(c2.longestSilence(stalledAt, readyAt), c3.longestSilence(stalledAt, readyAt));
        System.out.printf("primary stalled for 3 s in the view (virtual time): replaced after %d ms; no call answered "
                + "for at most %d ms until it was back and ready%n", replacedAfter, silence);
        assertTrue(silence < 4 * SUSPECT, "callers stalled for " + silence + " ms");
        assertConverged(sim);
    }

    /**
     * The pre-vote: a primary cut off from both others keeps trying to lead on its side, but without a majority saying
     * yes it never starts a css, so its epoch does not grow; when the partition heals, the primary the others elected
     * meanwhile keeps its role and its epoch (no election at all), and the returning member follows it.
     */
    @Test
    void primaryCutOff_neverRaisesItsEpoch_andAfterHealingTheNewPrimaryKeepsLeading() {
        NodeSimulation sim = world(4);
        assertTrue(sim.runUntil(() -> primary(sim) != null, 3_000), "a primary is elected");
        String cut = primary(sim);
        List<String> others = sim.servers().stream().map(s -> s.name).filter(n -> !n.equals(cut)).toList();
        NodeRun.Caller c1 = caller(sim, "c1", others.get(0));
        NodeRun.Caller c2 = caller(sim, "c2", others.get(1));
        sim.runFor(500);
        long epochBefore = sim.server(cut).node.status().epoch();
        long[] highestWhileCut = {epochBefore};
        sim.partition(Set.of(cut));
        long cutAt = sim.now();
        sim.at(sim.now() + 1, null, new Runnable() {        // the cut-off primary's epoch, every millisecond
            @Override
            public void run() {
                highestWhileCut[0] = Math.max(highestWhileCut[0], sim.server(cut).node.status().epoch());
                if (sim.now() < cutAt + 3_000) {
                    sim.at(sim.now() + 1, null, this);
                }
            }
        });
        // (an idle primary cut off may go on calling itself primary: it has no write that could time out)
        Supplier<String> successorNow = () -> others.stream()
                .filter(n -> "PRIMARY".equals(sim.server(n).node.status().role())).findFirst().orElse(null);
        assertTrue(sim.runUntil(() -> successorNow.get() != null, cutAt + 2_000), "the majority side elected a primary");
        String successor = successorNow.get();
        long successorEpoch = sim.server(successor).node.status().epoch();
        sim.runFor(cutAt + 3_000 - sim.now());               // the cut-off member keeps trying on its own side
        sim.heal();
        long healedAt = sim.now();
        assertTrue(sim.runUntil(() -> sim.server(cut).node.status().ready(), healedAt + 5_000),
                cut + " caught up after healing: " + sim.server(cut).node.status());
        long readyAt = sim.now();
        sim.runFor(1_000);
        long silence = Math.max(c1.longestSilence(healedAt, readyAt), c2.longestSilence(healedAt, readyAt));
        System.out.printf("primary %s cut off for 3 s (virtual time): its epoch stayed at %d (the new primary's: %d); "
                + "after healing %s kept leading at epoch %d; no call answered for at most %d ms until %s was ready "
                + "again%n", cut, highestWhileCut[0], successorEpoch, successor,
                sim.server(successor).node.status().epoch(), silence, cut);
        assertEquals(epochBefore, highestWhileCut[0], "the cut-off primary started elections it could not win");
        assertEquals(successor, successorNow.get(), "the primary elected during the partition was deposed");
        assertEquals("BACKUP", sim.server(cut).node.status().role(), cut + " follows it");
        assertEquals(successorEpoch, sim.server(successor).node.status().epoch(), "an election after healing");
        assertTrue(silence < SUSPECT, "callers stalled for " + silence + " ms after healing");
        assertConverged(sim);
    }

    /**
     * Defence in depth behind the channel's own checks: messages that claim to come from a process that is not a
     * member — definitive entries at the next seq (which the delivery engine would apply), a Recover (which would be
     * answered), a Seq for a waiting call — are dropped and counted, and nothing changes: every replica applies the
     * same history (the checker fails the run at the first divergence) and no forged request is executed.
     */
    @Test
    void messagesFromANonMember_areDroppedAndCounted_andChangeNothing() {
        NodeSimulation sim = world(3);
        caller(sim, "c2", "s2");
        assertTrue(sim.runUntil(() -> sim.server("s2").node.appliedSeq() > 20, 5_000), "calls are applied");
        Server s2 = sim.server("s2");
        long next = s2.node.appliedSeq() + 1;
        long epoch = s2.node.status().epoch();
        TentativeAssignment forged = new TentativeAssignment("forged-1", next, epoch, new byte[] {1});
        sim.at(sim.now() + 1, null, () -> {
            s2.node.receive("intruder", new DefinitiveEntries(next, next - 1, List.of(forged)));
            s2.node.receive("intruder", new Recover(42));
            s2.node.receive("intruder", new Seq("c2-1", next));
            s2.node.dropped("intruder", "not a member");      // as the channel reports what it refused itself
        });
        sim.runFor(1_000);
        assertEquals(4, s2.node.status().droppedMessages(), s2.node.status().toString());
        assertConverged(sim);    // a forged entry applied at s2 alone would fold into its state: the states differ
    }

    /**
     * Snapshots cost in proportion to the calls, not to the state: the reply cache and the request-id window fill
     * with every call, so each snapshot is larger than the one before, and the next one waits — beyond the
     * interval of 40 seqs — until the log applied since holds a quarter of its bytes. Seen from each server's stored
     * snapshots: every gap between two spans at least the interval and enough calls to cover a quarter of the
     * earlier snapshot (each call's assignment here takes at most {@code CALL_BYTES}); the gaps end up far beyond
     * the interval, the log is still compacted, and the replicas converge.
     */
    @Test
    void snapshotsWaitForTheLogToGrowByAQuarterOfTheirSize_soTheyCostInProportionToTheCalls() {
        final long interval = 40;
        final long callBytes = 64;          // id "cN-12345" and payload "cN call 12345", plus 24 fixed
        List<List<long[]>> saved = new java.util.ArrayList<>();
        NodeSimulation sim = new NodeSimulation(5, List.of("s1", "s2", "s3"), new NodeChecker(1_000),
                s -> s.withTimeouts(60_000, 100, 50).withSnapshots(interval, 64L << 20, 200)
                        .withSnapshotWriteFactor(4).withLeadership(BEACON, SUSPECT, 300),
                (m, self) -> new SequencerConfig(m, self, 5, 100, 100, 20, 20, 64, 1), 1,
                () -> {
                    List<long[]> saves = new java.util.ArrayList<>();
                    saved.add(saves);
                    InMemorySnapshotStore store = new InMemorySnapshotStore();
                    return new SnapshotStore() {
                        @Override
                        public void save(long seq, ChunkedBytes bytes) {
                            synchronized (saves) {
                                saves.add(new long[] {seq, bytes.size()});
                            }
                            store.save(seq, bytes);
                        }

                        @Override
                        public Stored latest() {
                            return store.latest();
                        }
                    };
                });
        sim.setNetwork(0, 0, 1, 3);
        for (String home : List.of("s1", "s2", "s3")) {
            caller(sim, "c" + home.substring(1), home);
        }
        sim.runFor(20_000);
        assertConverged(sim);
        long executed = sim.checker().highestExecutedSeq();
        assertTrue(executed > 3_000, "calls were applied: " + executed);
        for (int server = 0; server < saved.size(); server++) {
            List<long[]> saves = saved.get(server);
            assertTrue(saves.size() >= 3, "server " + server + " took snapshots: " + saves.size());
            long lastGap = 0;
            for (int i = 1; i < saves.size(); i++) {
                lastGap = saves.get(i)[0] - saves.get(i - 1)[0];
                long earlierSize = saves.get(i - 1)[1];
                assertTrue(lastGap >= interval, "server " + server + ": snapshots at " + saves.get(i - 1)[0]
                        + " and " + saves.get(i)[0] + " are closer than the interval");
                assertTrue(lastGap * callBytes * 4 >= earlierSize,
                        "server " + server + ": the snapshot at " + saves.get(i)[0] + " followed one of "
                                + earlierSize + " bytes after only " + lastGap + " seqs");
            }
            assertTrue(lastGap > 10 * interval, "server " + server + ": the snapshots were spaced by their size, the "
                    + "last gap " + lastGap + " seqs");
            System.out.printf("server %d: %d snapshots over %d seqs, the last %d bytes, %d seqs after the one before%n",
                    server, saves.size(), executed, saves.get(saves.size() - 1)[1], lastGap);
        }
        for (Server s : sim.servers()) {
            assertTrue(s.node.status().logBase() > 0, s.name + " compacted its log: " + s.node.status());
        }
    }

    /**
     * A backup hears how far the log is definitive when it needs it, and otherwise with the next write: a call on a
     * backup's server and a read on the other backup's server are each answered within a few network hops, not a
     * heartbeat (400 ms here) nor a fetch after the gap timeout (1 s), while the backup that waits for nothing is
     * told at the primary's next WriteMaj — one message per call instead of two to each backup at low load.
     */
    @Test
    void backupsLearnWhatBecameDefinitive_atOnceWhenTheyWaitForIt_otherwiseWithTheNextWrite() {
        final long heartbeat = 400;
        final long gapTimeout = 1_000;       // a server that knows of seqs it lacks fetches them after this long
        NodeSimulation sim = new NodeSimulation(7, List.of("s1", "s2", "s3"), new NodeChecker(1_000),
                s -> s.withTimeouts(60_000, 100, gapTimeout).withLeadership(BEACON, SUSPECT, 300),
                (m, self) -> new SequencerConfig(m, self, 5, 100, 100, 20, heartbeat, 64, 1), 1,
                InMemorySnapshotStore::new);
        sim.setNetwork(0, 0, 1, 3);
        assertTrue(sim.runUntil(() -> "s1".equals(primary(sim)) && sim.servers().stream()
                .allMatch(s -> s.node.status().ready()), 3_000), "s1 leads and all are ready");
        List<WriteMaj> toS3 = new java.util.ArrayList<>();
        sim.setSendObserver(e -> {
            if (e.from().equals("s1") && e.to().equals("s3") && e.message() instanceof WriteMaj w) {
                toS3.add(w);
            }
        });
        // start right after a heartbeat to s3, so that none falls in what follows
        assertTrue(sim.runUntil(() -> !toS3.isEmpty() && toS3.get(toS3.size() - 1).entries().isEmpty(),
                sim.now() + 2 * heartbeat), "s1 sends s3 heartbeats");
        toS3.clear();

        long began = sim.now();
        CompletableFuture<Reply> write = new CompletableFuture<>();
        Server s2 = sim.server("s2");
        sim.at(sim.now(), s2, () -> s2.node.submit("w-1", new byte[] {1}).whenComplete((r, t) -> {
            if (t == null) {
                write.complete(r);
            } else {
                write.completeExceptionally(t);
            }
        }));
        assertTrue(sim.runUntil(write::isDone, began + heartbeat / 8), "the call on backup s2 is answered within "
                + heartbeat / 8 + " ms, not after a heartbeat");
        long seq = write.join().seq();
        Server s3 = sim.server("s3");
        assertEquals(1, toS3.size(), "s3, which waits for nothing, got only the write itself: " + toS3);
        assertTrue(toS3.get(0).definitiveUpTo() < seq, "the write carried an older definitive prefix");
        assertTrue(s3.node.appliedSeq() < seq, "s3 has not applied the call yet");

        long readBegan = sim.now();
        CompletableFuture<Long> read = new CompletableFuture<>();
        sim.at(sim.now(), s3, () -> s3.node.submitRead(s3.node::appliedSeq).whenComplete((v, t) -> {
            if (t == null) {
                read.complete(v);
            } else {
                read.completeExceptionally(t);
            }
        }));
        assertTrue(sim.runUntil(read::isDone, readBegan + heartbeat / 8), "a read on backup s3 after the call is "
                + "answered within " + heartbeat / 8 + " ms, not after a heartbeat");
        assertTrue(read.join() >= seq, "the read on s3 sees the call acknowledged before it: applied "
                + read.join() + ", the call's seq " + seq);
        System.out.printf("lazy definitive notices (virtual time): a call on a backup answered in %d ms, a read on "
                + "the other backup in %d ms, heartbeat %d ms%n", readBegan - began, sim.now() - readBegan, heartbeat);
        assertConverged(sim);
    }

    private static void assertConverged(NodeSimulation sim) {
        assertTrue(sim.runUntil(() -> sim.servers().stream().allMatch(s -> s.node.appliedSeq()
                == sim.server("s2").node.appliedSeq()), sim.now() + 5_000));
        for (Server s : sim.servers()) {
            assertEquals(sim.server("s2").machine.state(), s.machine.state(), s.name);
            assertEquals(null, s.node.failure(), s.name);
        }
    }
}
