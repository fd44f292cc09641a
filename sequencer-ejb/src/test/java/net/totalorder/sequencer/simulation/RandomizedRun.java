package net.totalorder.sequencer.simulation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.simulation.Simulation.ClientNode;
import net.totalorder.sequencer.simulation.Simulation.ReplicaNode;

/**
 * One seeded run of the sequencer under faults. The seed fixes, through forked random streams: the group size (3
 * or 5), the protocol's timeouts, batch and pipelining settings, the network's loss, duplication and delays, the
 * clients' load, and a chaos phase of crashes of a minority (half of them of the primary in the middle of a
 * WriteMaj, as in the paper's Fig. 1), most followed by a restart with an empty state that must recover, pauses
 * (performance failures, Fig. 2, often of the primary), partitions, stalls of the primary in the middle of a
 * WriteMaj (the rest of the broadcast is lost, then it resumes late), clients retrying delivered requests, and a
 * leader oracle that names one, two or no leaders. A third of the runs
 * have slow links, as between distant hosts: one-way delays up to 20–59 ms, so a round trip often outlasts the
 * retransmit interval (10–39 ms) and the primary resends what is still on its way; their read and write timeouts
 * are at least five of the longest round trips, as an operator would set them for such links.
 *
 * <p>Nine runs in ten then stabilise — partitions heal, loss stops, the oracle names one live replica — and must
 * reach P5 (every request delivered) and Uniform Output (every live replica learns every definitive assignment).
 * Safety (P1–P4) is checked on every event of every run by {@link SequencerChecker}.
 *
 * <p>{@link #run} throws {@link SimulationFailure} naming the seed on any violation or protocol exception.
 */
public final class RandomizedRun {

    /** What one run did. */
    public record Result(long seed, long traceHash, int replicas, long definitive, long messages,
                         boolean stabilised, long virtualMillis) {
    }

    private RandomizedRun() {
    }

    public static Result run(long seed) {
        return run(seed, false);
    }

    /** A run; with {@code forgedConfirmations}, the planted bug of {@link Simulation#plantForgedLeadConfirmations}. */
    public static Result run(long seed, boolean forgedConfirmations) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom plan = root.split();
        // drawn apart from the plan, so that adding readers left the schedules of the other seeds' runs unchanged
        SplittableRandom readPlan = new SplittableRandom(seed ^ 0x5EAD5EADL);
        return execute(seed, plan, root.nextLong(), readPlan, forgedConfirmations);
    }

    private static Result execute(long seed, SplittableRandom plan, long networkSeed, SplittableRandom readPlan,
                                  boolean forgedConfirmations) {
        int n = plan.nextInt(10) < 7 ? 3 : 5;
        int maxCrashes = (n - 1) / 2;
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            members.add("r" + i);
        }
        Simulation sim = new Simulation(networkSeed, members);
        try {
            long readTimeout = 60 + plan.nextInt(150);
            long writeTimeout = 60 + plan.nextInt(150);
            // drawn apart from the plan, so that the other settings and schedules of every seed stayed as they were
            SplittableRandom linkPlan = new SplittableRandom(seed ^ 0x510E114CL);
            long slowLinkDelay = linkPlan.nextInt(3) == 0 ? 20 + linkPlan.nextInt(40) : 0;
            if (slowLinkDelay > 0) {
                readTimeout = Math.max(readTimeout, 10 * slowLinkDelay);
                writeTimeout = Math.max(writeTimeout, 10 * slowLinkDelay);
            }
            long retransmit = 10 + plan.nextInt(30);
            long heartbeat = 15 + plan.nextInt(40);
            int maxEntries = new int[] {1, 2, 3, 8, 64}[plan.nextInt(5)];
            int inFlight = new int[] {1, 2, 4, 8}[plan.nextInt(4)];
            long maxBytes = new long[] {1, 40, 1 << 20}[plan.nextInt(3)];
            long maxLag = new long[] {1, 5, 1000}[plan.nextInt(3)];
            for (String m : members) {
                sim.addReplica(new SequencerConfig(members, m, 5, readTimeout, writeTimeout, retransmit, heartbeat,
                        maxEntries, inFlight, maxBytes, maxLag));
            }
            double loss = plan.nextInt(10) < 3 ? 0 : plan.nextDouble() * 0.25;
            double dup = plan.nextDouble() * 0.1;
            long maxDelay = 1 + plan.nextInt(25);
            if (slowLinkDelay > 0) {
                maxDelay = slowLinkDelay;
            }
            sim.setNetwork(loss, dup, 1, maxDelay);

            long chaosEnd = 1500 + plan.nextInt(2500);
            boolean stabilises = plan.nextInt(10) != 0;

            int clients = 1 + plan.nextInt(5);
            List<Workload> workloads = new ArrayList<>();
            for (int c = 1; c <= clients; c++) {
                ClientNode client = sim.addClient("c" + c, 40 + plan.nextInt(160), 5 + plan.nextInt(15));
                workloads.add(new Workload(client, 5 + plan.nextInt(56), 1 + plan.nextInt(8),
                        plan.nextInt(chaosEnd / 2 == 0 ? 1 : (int) (chaosEnd / 2))));
            }
            for (Workload w : workloads) {
                drive(sim, w, plan.split());
            }
            if (forgedConfirmations) {
                sim.plantForgedLeadConfirmations();
            }
            // half the runs (all, with the planted bug) also read: readers ask for read indexes until the chaos ends
            if (forgedConfirmations || readPlan.nextBoolean()) {
                int readers = 1 + readPlan.nextInt(2);
                for (int r = 1; r <= readers; r++) {
                    read(sim, sim.addClient("reader" + r, 40 + readPlan.nextInt(160), 5 + readPlan.nextInt(15)),
                            chaosEnd, readPlan.split());
                }
            }

            scheduleChaos(sim, plan, members, maxCrashes, chaosEnd);
            scheduleCompaction(sim, plan.split());
            sim.runFor(chaosEnd);
            if (!stabilises) {
                return new Result(seed, sim.traceHash(), n, sim.checker().definitiveCount(), sim.messagesSent(),
                        false, sim.now());
            }

            // Stabilisation: one stable majority partition and a correct leader oracle from now on.
            sim.setSendObserver(e -> { });
            sim.heal();
            sim.setNetwork(0, dup, 1, maxDelay);
            // a replica that is still recovering or catching up cannot run a css: the oracle names one that votes
            if (!sim.runUntil(() -> sim.replicas().stream().anyMatch(r -> !r.crashed() && r.replica().recovered()),
                    sim.now() + 10_000)) {
                throw new AssertionError("no live replica recovered within 10 s of a healed network:"
                        + replicaStates(sim));
            }
            String leader = sim.replicas().stream().filter(r -> !r.crashed() && r.replica().recovered())
                    .map(r -> r.name).findFirst().orElseThrow();
            sim.setLeaders(Set.of(leader));
            long deadline = sim.now() + 60_000;
            boolean done = sim.runUntil(() -> workloads.stream().allMatch(Workload::finished), deadline);
            if (!sim.runUntil(() -> sim.checker().readsWaiting() == 0, sim.now() + 10_000)) {
                throw new AssertionError(sim.checker().readsWaiting() + " reads never got a read index once the "
                        + "network healed:" + replicaStates(sim));
            }
            if (!done) {
                try {
                    for (Workload w : workloads) {
                        sim.checker().assertAllDelivered(w.client);
                    }
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; replicas:" + replicaStates(sim), e);
                }
            }
            // (a retry still in flight may order a compacted request again: count what is definitive as it grows)
            boolean caughtUp = sim.runUntil(() -> sim.replicas().stream().filter(r -> !r.crashed())
                    .allMatch(r -> sim.checker().learnedUpTo(r.learner()) == sim.checker().definitiveCount()),
                    sim.now() + 10_000);
            long definitive = sim.checker().definitiveCount();
            if (!caughtUp) {
                throw new AssertionError("Uniform output violated: live replicas did not all learn the "
                        + definitive + " definitive assignments:" + replicaStates(sim));
            }
            return new Result(seed, sim.traceHash(), n, definitive, sim.messagesSent(), true, sim.now());
        } catch (Throwable t) {
            throw new SimulationFailure(seed, t, sim);
        }
    }

    /** A client keeping up to {@code concurrency} requests outstanding until it has issued {@code total}. */
    private static final class Workload {
        final ClientNode client;
        final int total;
        final int concurrency;
        final long startAt;
        int issued;

        Workload(ClientNode client, int total, int concurrency, long startAt) {
            this.client = client;
            this.total = total;
            this.concurrency = concurrency;
            this.startAt = startAt;
        }

        boolean finished() {
            return issued == total && client.deliveredCount() == total;
        }
    }

    /** A reader: a read index request every few ms, from a random moment until {@code until}. */
    private static void read(Simulation sim, ClientNode reader, long until, SplittableRandom random) {
        int[] issued = new int[1];
        sim.at(random.nextLong(until / 2 + 1), reader, new Runnable() {
            @Override
            public void run() {
                if (sim.now() >= until) {
                    return;
                }
                reader.readIndex(reader.name + "-read-" + (++issued[0]));
                sim.at(sim.now() + 3 + random.nextInt(30), reader, this);
            }
        });
    }

    private static void drive(Simulation sim, Workload w, SplittableRandom random) {
        sim.at(w.startAt, w.client, new Runnable() {
            @Override
            public void run() {
                while (w.issued < w.total && w.issued - w.client.deliveredCount() < w.concurrency) {
                    String reqId = w.client.name + "-" + (++w.issued);
                    w.client.getSeq(reqId, sim.payloadFor(reqId));
                }
                if (w.client.deliveredCount() > 0 && random.nextInt(40) == 0) {
                    List<String> delivered = new ArrayList<>(w.client.delivered.keySet());
                    w.client.retry(delivered.get(random.nextInt(delivered.size())));
                }
                if (!w.finished()) {
                    sim.at(sim.now() + 1 + random.nextInt(20), w.client, this);
                }
            }
        });
    }

    /**
     * Application snapshots, as the replication node takes them: most runs compact each replica's log every so
     * often up to a little below what it knows to be definitive, so that lagging, restarted and leading replicas
     * meet compacted logs (base installs, compacted css states, fetches below the base).
     */
    private static void scheduleCompaction(Simulation sim, SplittableRandom plan) {
        if (plan.nextInt(10) < 2) {
            return;
        }
        long every = 10 + plan.nextInt(200);
        int lag = plan.nextInt(4);
        for (ReplicaNode r : sim.replicas()) {
            sim.at(plan.nextLong(every), null, new Runnable() {
                @Override
                public void run() {
                    // an event of the replica's process, so that it waits while the replica is paused
                    sim.at(sim.now(), r, () -> {
                        long upTo = Math.max(0, r.replica().definitiveUpTo() - lag);
                        sim.checker().compacted(upTo);
                        r.replica().snapshotCovers(upTo);
                    });
                    sim.at(sim.now() + every, null, this);
                }
            });
        }
    }

    private static void scheduleChaos(Simulation sim, SplittableRandom plan, List<String> members, int maxCrashes,
                                      long chaosEnd) {
        // The leader oracle: usually one leader, sometimes two, sometimes none; it changes every 30–400 ms.
        for (long t = 0; t < chaosEnd; t += 20 + plan.nextInt(280)) {
            int kind = plan.nextInt(20);
            Set<String> believers = new HashSet<>();
            if (kind < 14) {
                believers.add(members.get(plan.nextInt(members.size())));
            } else if (kind < 17) {
                believers.add(members.get(plan.nextInt(members.size())));
                believers.add(members.get(plan.nextInt(members.size())));
            }
            sim.at(t, null, () -> sim.setLeaders(believers));
        }
        // Crashes, usually followed by a restart with an empty state; at any moment at most a minority of the
        // replicas is crashed or still recovering (more would lose the ordered log, which needs the durable mode).
        int crashes = plan.nextInt(maxCrashes + 3);
        for (int i = 0; i < crashes; i++) {
            long t = plan.nextLong(chaosEnd);
            boolean midWrite = plan.nextBoolean();
            int sendsBeforeCrash = 1 + plan.nextInt(members.size() - 1);
            String fallback = members.get(plan.nextInt(members.size()));
            long restartAfter = plan.nextInt(10) < 7 ? 50 + plan.nextInt(1500) : -1;
            sim.at(t, null, () -> {
                if (down(sim) >= maxCrashes) {
                    return;
                }
                String primary = sim.replicas().stream()
                        .filter(r -> !r.crashed() && r.replica().isPrimary()).map(r -> r.name)
                        .findFirst().orElse(null);
                String victim = midWrite && primary != null ? primary : fallback;
                Runnable crash = () -> {
                    ReplicaNode node = sim.replica(victim);
                    if (down(sim) >= maxCrashes || node.crashed() || !node.replica().recovered()) {
                        return;                   // an armed crash fires later: another may be down by then
                    }
                    sim.crash(victim);
                    if (restartAfter >= 0) {
                        sim.at(sim.now() + restartAfter, null, () -> sim.restart(victim));
                    }
                };
                if (midWrite && primary != null) {
                    armDuringWrite(sim, primary, sendsBeforeCrash, crash);
                } else {
                    crash.run();
                }
            });
        }
        int stalls = 1 + plan.nextInt(12);
        for (int i = 0; i < stalls; i++) {
            long t = plan.nextLong(chaosEnd);
            long length = 10 + plan.nextInt(500);
            int sendsBeforeStall = 1 + plan.nextInt(members.size() - 1);
            sim.at(t, null, () -> sim.replicas().stream()
                    .filter(r -> !r.crashed() && r.replica().isPrimary()).map(r -> r.name)
                    .findFirst().ifPresent(primary -> armDuringWrite(sim, primary, sendsBeforeStall,
                            () -> sim.stallMidBroadcast(primary, sim.now() + length))));
        }
        int pauses = plan.nextInt(5);
        for (int i = 0; i < pauses; i++) {
            long t = plan.nextLong(chaosEnd);
            long length = 20 + plan.nextInt(600);
            String random = members.get(plan.nextInt(members.size()));
            boolean primaryFirst = plan.nextBoolean();
            sim.at(t, null, () -> {
                String target = primaryFirst ? sim.replicas().stream()
                        .filter(r -> !r.crashed() && r.replica().isPrimary()).map(r -> r.name)
                        .findFirst().orElse(random) : random;
                sim.pause(target, sim.now() + length);
            });
        }
        int partitions = plan.nextInt(4);
        List<String> everyone = new ArrayList<>(members);
        for (int i = 0; i < partitions; i++) {
            long t = plan.nextLong(chaosEnd);
            long length = 50 + plan.nextInt(750);
            Set<String> side = new HashSet<>();
            for (String m : everyone) {
                if (plan.nextBoolean()) {
                    side.add(m);
                }
            }
            boolean clientsWithSide = plan.nextBoolean();
            sim.at(t, null, () -> {
                Set<String> withClients = new HashSet<>(side);
                for (ClientNode c : sim.clients()) {
                    // readers land on either side: a reader cut off with a deposed primary is what the read
                    // check is for (drawn only where there are readers, so other runs keep their schedules)
                    boolean reader = c.name.startsWith("reader");
                    if (reader ? sim.random().nextBoolean() : clientsWithSide) {
                        withClients.add(c.name);
                    }
                }
                sim.partition(withClients);
            });
            sim.at(Math.min(t + length, chaosEnd), null, sim::heal);
        }
    }

    private static String replicaStates(Simulation sim) {
        StringBuilder states = new StringBuilder();
        for (ReplicaNode r : sim.replicas()) {
            states.append(' ').append(r.replica()).append(r.crashed() ? "(crashed)" : "");
        }
        return states.toString();
    }

    /** Replicas crashed or not yet recovered. */
    private static long down(Simulation sim) {
        return sim.replicas().stream().filter(r -> r.crashed() || !r.replica().recovered()).count();
    }

    /**
     * Runs {@code fault} (a crash or a stall of {@code primary}) right after the primary has put {@code sends}
     * (≥ 1) copies of its next WriteMaj with entries on the wire: the rest of that broadcast is never sent.
     */
    private static void armDuringWrite(Simulation sim, String primary, int sends, Runnable fault) {
        int[] sent = new int[1];
        sim.setSendObserver(e -> {
            if (e.from().equals(primary) && e.message() instanceof WriteMaj w && !w.entries().isEmpty()
                    && ++sent[0] >= sends) {
                sim.setSendObserver(x -> { });
                fault.run();
            }
        });
    }
}
