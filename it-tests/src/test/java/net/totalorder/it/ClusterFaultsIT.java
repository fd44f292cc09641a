package net.totalorder.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import net.totalorder.derms.client.DermsClient;
import net.totalorder.derms.client.Resource;
import net.totalorder.derms.client.Result;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The local 3-server cluster with DERMS, started by {@code ./cluster} (not by Arquillian, whose managed container
 * cannot follow a server that is killed and restarted behind its back): crash faults under a concurrent load — kill -9 of the primary's server (then its restart, empty, rejoining) and SIGSTOP of the
 * primary's server (a performance failure). After each: no acknowledged operation lost, none applied twice, and
 * the replicas' digests agree. The pauses clients saw are printed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterFaultsIT {

    private static final Duration AGREE = Duration.ofSeconds(60);
    private static final int THREADS = 8;

    private static DermsClient clientOf(URI... servers) {
        return new DermsClient(List.of(servers), Duration.ofSeconds(3), Duration.ofSeconds(60),
                DermsClient.randomKeys());
    }

    private static void runFor(Duration d) {
        LockSupport.parkNanos(d.toNanos());   // the load runs meanwhile: this is the experiment's duration
    }

    @Test
    @Order(2)
    void killingThePrimarysServerUnderLoad_losesNothingAndAppliesNothingTwice() throws Exception {
        int primary = LocalCluster.primary();
        List<URI> others = othersThan(primary);
        DermsLoad load = DermsLoad.start(others, THREADS, 2000);
        runFor(Duration.ofSeconds(5));
        long killedAt = System.nanoTime();
        LocalCluster.run("kill", Integer.toString(primary));
        runFor(Duration.ofSeconds(10));
        load.stop();
        long pause = load.longestPauseMillis(killedAt);
        checkNothingLostOrDuplicated(load, others);
        long agreed = LocalCluster.awaitAgreement(AGREE, survivors(primary));
        System.out.printf("kill -9 of primary node%d under %d clients: %d operations, longest pause %d ms, "
                + "survivors agree at seq %d%n", primary, THREADS, load.ops().size(), pause, agreed);

        LocalCluster.run("restart", Integer.toString(primary));
        long rejoined = LocalCluster.awaitAgreement(AGREE, 1, 2, 3);
        System.out.printf("node%d restarted empty, recovered and replayed the log: all agree at seq %d%n", primary,
                rejoined);
    }

    @Test
    @Order(3)
    void stoppedPrimaryComingBack_assignsNothingStale_andEveryoneAgrees() throws Exception {
        int primary = LocalCluster.primary();
        List<URI> others = othersThan(primary);
        DermsLoad load = DermsLoad.start(others, THREADS, 5000);
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
        long pause = load.longestPauseMillis(pausedAt);
        checkNothingLostOrDuplicated(load, others);
        long agreed = LocalCluster.awaitAgreement(AGREE, 1, 2, 3);
        System.out.printf("SIGSTOP of primary node%d for 10 s under %d clients: %d operations, longest pause %d ms;"
                + " after SIGCONT all agree at seq %d%n", primary, THREADS, load.ops().size(), pause, agreed);
    }

    /** Every acknowledged grant is held exactly once, and every acknowledged add exists. */
    private static void checkNothingLostOrDuplicated(DermsLoad load, List<URI> servers) throws Exception {
        Map<String, Integer> outcomes = new HashMap<>();
        Set<String> added = new HashSet<>();
        for (DermsLoad.Op op : load.ops()) {
            Result r = op.result();
            assertEquals(Result.Outcome.ANSWERED, r.outcome(), "an operation got no answer: " + op);
            assertEquals("SUCCESS", r.status(), "an operation did not succeed (applied twice?): " + op);
            outcomes.merge(op.kind(), 1, Integer::sum);
            if (op.kind().equals("add")) {
                added.add(op.resourceId());
            }
        }
        DermsClient reader = new DermsClient(servers, Duration.ofSeconds(3), Duration.ofSeconds(60),
                DermsClient.randomKeys());
        int granted = 0;
        for (Map.Entry<String, Integer> g : load.grants().entrySet()) {
            Result held = reader.findResource(g.getKey(), "FIRETRUCK");
            long holding = held.resources().stream().filter(r -> r.resourceId().equals(load.shared()))
                    .mapToLong(Resource::duration).sum();
            assertEquals(g.getValue().longValue(), holding, g.getKey() + " holds other than its acknowledged grants");
            granted += g.getValue();
        }
        Result trucks = reader.listResourceAvailability("SHER1000", "FIRETRUCK");
        assertEquals("SUCCESS", trucks.status(), trucks.toString());
        long remaining = trucks.resources().stream().filter(r -> r.resourceId().equals(load.shared()))
                .mapToLong(Resource::duration).sum();
        assertEquals(DermsLoad.SHARED_DURATION - granted, remaining, "grants lost or applied twice");
        Result ambulances = reader.listResourceAvailability("MTLR1000", "AMBULANCE");
        Set<String> listed = new HashSet<>();
        ambulances.resources().forEach(r -> listed.add(r.resourceId()));
        assertTrue(listed.containsAll(added), "acknowledged adds are missing");
        System.out.printf("checked: %d acknowledged grants held exactly once, %d acknowledged adds present (%s)%n",
                granted, added.size(), outcomes);
    }

    private static List<URI> othersThan(int node) {
        List<URI> others = new ArrayList<>(LocalCluster.SERVERS);
        others.remove(node - 1);
        return others;
    }

    private static int[] survivors(int dead) {
        return java.util.stream.IntStream.rangeClosed(1, 3).filter(n -> n != dead).toArray();
    }
}
