package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local 3-server cluster with DERMS, started by {@code ./cluster} (not by Arquillian, whose managed container
 * cannot follow a server that is killed and restarted behind its back): crash faults under a concurrent load —
 * kill -9 of the primary's server (then its restart with its disk lost: it recovers from the others and installs a
 * snapshot), kill -9 of a backup (restarted with its disk), SIGSTOP of the primary's server (a performance failure)
 * and clients retrying elsewhere. After each: no acknowledged operation lost, none applied twice, the history
 * linearizable and the replicas' digests agree. The pauses clients saw, over the whole window, are printed.
 * Whole-cluster crashes and restarts: {@link DurabilityFaultsIT}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(ServerLogsOnFailure.class)
class ClusterFaultsIT {

    private static final Duration AGREE = Duration.ofSeconds(60);
    private static final int THREADS = 8;

    private static void runFor(Duration d) {
        LockSupport.parkNanos(d.toNanos());   // the load runs meanwhile: this is the experiment's duration
    }

    /** A scenario that failed before stopping its load must not leave it calling through the next ones. */
    @AfterEach
    void stopTheLoad() throws InterruptedException {
        DermsLoad.stopAll();
    }

    @Test
    @Order(1)
    void killingThePrimaryThenABackupUnderLoad_losesNothingAndAppliesNothingTwice() throws Exception {
        LocalCluster.awaitReady();
        DermsLoad load = DermsLoad.start(LocalCluster.SERVERS, THREADS, 2000, Duration.ofSeconds(3));
        StallRecorder stalls = StallRecorder.watch(load, 2_000);
        runFor(Duration.ofSeconds(4));
        int primary = LocalCluster.primary();
        long killedAt = System.nanoTime();
        LocalCluster.run("kill", Integer.toString(primary));
        LocalCluster.run("lose-disk", Integer.toString(primary));   // it comes back with nothing: it must recover
        runFor(Duration.ofSeconds(4));
        // the others order on and compact their logs (a snapshot every 10,000 seqs): the server comes back after that
        long[] othersCompactedTo = new long[1];
        LocalCluster.eventually(Duration.ofSeconds(90), "the others compacted their logs", () -> {
            othersCompactedTo[0] = java.util.stream.IntStream.rangeClosed(1, 3).filter(n -> n != primary)
                    .mapToLong(n -> LocalCluster.replica(n).logBase()).min().orElseThrow();
            return othersCompactedTo[0] > 0;
        });
        long primaryRestartAt = System.nanoTime();
        LocalCluster.run("restart", Integer.toString(primary));   // returns once it is ready again
        long primaryBackAt = System.nanoTime();
        runFor(Duration.ofSeconds(3));
        DermsLoad.Pause primaryPause = load.longestPause(killedAt, primaryBackAt, client -> true);
        long primaryWindow = primaryPause.millis();
        LocalCluster.Replica restarted = LocalCluster.replica(primary);
        int backup = primary == 3 ? 2 : 3;
        long backupKilledAt = System.nanoTime();
        LocalCluster.run("kill", Integer.toString(backup));
        runFor(Duration.ofSeconds(6));
        long backupRestartAt = System.nanoTime();
        LocalCluster.run("restart", Integer.toString(backup));
        long backupBackAt = System.nanoTime();
        runFor(Duration.ofSeconds(3));
        load.stop();
        stalls.close();
        DermsLoad.Pause backupPause = load.longestPause(backupKilledAt, backupBackAt, client -> true);
        long backupWindow = backupPause.millis();
        long agreed = load.assertCorrect(LocalCluster.SERVERS, AGREE).agreedSeq();
        System.out.printf("kill -9 of primary node%d (restarted with its disk lost), then of backup node%d (restarted "
                + "with its disk), each caught up, under %d clients: %d operations; longest pause from the primary's "
                + "kill until it was ready again (%d ms later; restarted at %d ms) %d ms, beginning %d ms after the "
                + "kill; from the backup's kill until it was ready again (%d ms later; restarted at %d ms) %d ms, "
                + "beginning at %d ms; node%d installed %d snapshot(s) (the others had compacted up to seq %d); all "
                + "agree at seq %d%n",
                primary, backup, THREADS, load.ops().size(), (primaryBackAt - killedAt) / 1_000_000,
                (primaryRestartAt - killedAt) / 1_000_000, primaryWindow, primaryPause.startedAfterMillis(),
                (backupBackAt - backupKilledAt) / 1_000_000, (backupRestartAt - backupKilledAt) / 1_000_000,
                backupWindow, backupPause.startedAfterMillis(), primary, restarted.snapshotsInstalled(),
                othersCompactedTo[0], agreed);
        assertTrue(restarted.snapshotsInstalled() >= 1, "node" + primary + " caught up without a snapshot: "
                + restarted);
        String seen = stalls.report();
        if (!seen.isEmpty()) {
            System.out.println("stalls of 2 s or more, and GC pauses of 200 ms or more:\n" + seen);
        }
        // a returning server must not stall the cluster: a pause over the whole window stays near the fail-over
        assertTrue(primaryWindow < 5_000, "calls stalled " + primaryWindow + " ms around the primary's restart, "
                + "beginning " + primaryPause.startedAfterMillis() + " ms after the kill (restart began at "
                + (primaryRestartAt - killedAt) / 1_000_000 + " ms); what the servers did then:\n" + seen);
        assertTrue(backupWindow < 5_000, "calls stalled " + backupWindow + " ms around the backup's restart; what "
                + "the servers did then:\n" + seen);
    }

    @Test
    @Order(2)
    void stoppedPrimaryComingBack_assignsNothingStale_andEveryoneAgrees() throws Exception {
        LocalCluster.awaitReady();
        int primary = LocalCluster.primary();
        List<URI> others = othersThan(primary);
        DermsLoad load = DermsLoad.start(others, THREADS, 5000, Duration.ofSeconds(3));
        StallRecorder stalls = StallRecorder.watch(load, 2_000);
        runFor(Duration.ofSeconds(3));
        long pausedAt = System.nanoTime();
        LocalCluster.run("pause", Integer.toString(primary));
        try {
            runFor(Duration.ofSeconds(10));
        } finally {
            LocalCluster.run("resume", Integer.toString(primary));
        }
        runFor(Duration.ofSeconds(5));
        load.stop();
        stalls.close();
        long pause = load.longestPauseMillis(pausedAt);
        long agreed = load.assertCorrect(others, AGREE).agreedSeq();
        System.out.printf("SIGSTOP of primary node%d for 10 s under %d clients: %d operations, longest pause %d ms;"
                + " after SIGCONT all agree at seq %d%n", primary, THREADS, load.ops().size(), pause, agreed);
        String seen = stalls.report();
        if (!seen.isEmpty()) {        // the known limit (README): what held the live two up
            System.out.println("stalls of 2 s or more, and GC pauses of 200 ms or more:\n" + seen);
        }
    }

    @Test
    @Order(3)
    void clientsRetryingEveryCallElsewhereAfterTimeouts_executeEachCallOnce() throws Exception {
        LocalCluster.awaitReady();
        int primary = LocalCluster.primary();
        // 60 ms per attempt: a slow call times out and is retried, with the same key, on the next server
        DermsLoad load = DermsLoad.start(LocalCluster.SERVERS, THREADS, 7000, Duration.ofMillis(60));
        runFor(Duration.ofSeconds(3));
        // a fast cluster rarely takes 60 ms, so each backup is stopped for a second in turn: every call sent to it
        // times out and is retried elsewhere, and its first attempt, held by the stopped server, reaches the
        // sequencer only after SIGCONT, late, with a key the retry already used
        for (URI backup : othersThan(primary)) {
            String node = Integer.toString(LocalCluster.SERVERS.indexOf(backup) + 1);
            LocalCluster.run("pause", node);
            try {
                runFor(Duration.ofSeconds(1));
            } finally {
                LocalCluster.run("resume", node);
            }
            runFor(Duration.ofSeconds(2));
        }
        load.stop();
        long retried = load.ops().stream().filter(op -> op.result().attempts() > 1).count();
        long agreed = load.assertCorrect(LocalCluster.SERVERS, AGREE).agreedSeq();
        System.out.printf("clients timing out after 60 ms and retrying elsewhere with the same key, each backup "
                + "stopped for 1 s in turn: %d operations, %d of them retried; all agree at seq %d%n",
                load.ops().size(), retried, agreed);
        assertTrue(retried > 0, "no call was retried: the test did not test retries");
    }

    private static List<URI> othersThan(int node) {
        List<URI> others = new ArrayList<>(LocalCluster.SERVERS);
        others.remove(node - 1);
        return others;
    }
}
