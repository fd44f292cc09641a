package net.totalorder.replication.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import net.totalorder.replication.core.NodeSimulation.Server;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.simulation.SimulationFailure;

/**
 * One seeded run of whole replication nodes under faults. The seed fixes, through forked random streams: the group
 * size (3 or 5), the sequencer's timeouts and message bounds, the node's bounds — small reply and request-id
 * retentions, snapshots every few seqs, tiny snapshot chunks, a small apply backlog, so that compaction, snapshot
 * installs in many chunks and evictions happen all the time — the network's loss, duplication and delays, the
 * callers, and a chaos phase: in memory mode, crashes of a minority followed by restarts with nothing (the server
 * must install a snapshot and catch up); in durable mode (half the runs), crashes of any number of servers, whole
 * cluster crashes with restarts in any order, disks lost (by a minority; in one durable run in ten, beyond the
 * failure model, by a majority: then only safety is checked); stalls of the primary that keep it in the group view
 * (its beacons stop: the others must suspect and replace it), pauses, partitions.
 *
 * <p>Callers submit calls on a home server and, when an attempt gets no reply in time, retry the same request id on
 * the next server; now and then one re-sends a call that was answered long ago (a late retry, across compactions).
 * Reads ({@code read:} ids) are mixed in. {@link NodeChecker} checks one history, exactly-once and first replies on
 * every event. Nine runs in ten then stabilise — the network heals, crashed servers come back — and must answer
 * every call and bring every server to the same applied seq and state, with no replica stopped.
 *
 * <p>{@link #run} throws {@link SimulationFailure} naming the seed on any violation or exception.
 */
final class NodeRun {

    /** What one run did. */
    record Result(long seed, long traceHash, int servers, long executions, long retries, long expired,
                  long snapshotInstalls, long messages, boolean stabilised, long virtualMillis,
                  long linearizableReads) {
    }

    private NodeRun() {
    }

    /** A bug planted in a run, to show the checks catch it. */
    enum Plant {
        NONE,
        /** Snapshots are stored without the reply cache and the request-id window (memory mode). */
        SNAPSHOTS_WITHOUT_REPLIES,
        /** A sync reaches the disk only every fifth time: answers leave before what they acknowledge is durable. */
        ANSWERS_BEFORE_SYNC,
        /** A server whose disk was lost comes back as a newly provisioned member, voting with an empty state. */
        LOST_DISK_TAKEN_FOR_NEW,
        /** A recovering replica adopts recovery replies that answered an earlier incarnation (memory mode). */
        STALE_RECOVERY_REPLIES,
        /** Reads run on the called server's replica at once, without a read index (as {@code local-stale}). */
        READS_WITHOUT_READ_INDEX
    }

    static Result run(long seed) {
        return run(seed, Plant.NONE);
    }

    static Result run(long seed, Plant plant) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom plan = root.split();
        long worldSeed = root.nextLong();
        boolean durable = switch (plant) {
            case NONE -> plan.nextBoolean();
            case SNAPSHOTS_WITHOUT_REPLIES, STALE_RECOVERY_REPLIES, READS_WITHOUT_READ_INDEX -> false;
            case ANSWERS_BEFORE_SYNC, LOST_DISK_TAKEN_FOR_NEW -> true;
        };
        boolean lazy = plant == Plant.ANSWERS_BEFORE_SYNC;
        Supplier<SnapshotStore> snapshotStores = plant == Plant.SNAPSHOTS_WITHOUT_REPLIES
                ? NodeSimulationTest.ForgetfulSnapshotStore::new : InMemorySnapshotStore::new;
        int n = plan.nextInt(10) < 7 ? 3 : 5;
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            members.add("s" + i);
        }
        long readTimeout = 60 + plan.nextInt(150);
        long writeTimeout = 60 + plan.nextInt(150);
        long retransmit = 10 + plan.nextInt(30);
        long heartbeat = 15 + plan.nextInt(40);
        int maxEntries = new int[] {1, 3, 8, 64}[plan.nextInt(4)];
        long maxBytes = new long[] {1, 60, 1 << 20}[plan.nextInt(3)];
        long maxLag = new long[] {2, 20, 1000}[plan.nextInt(3)];
        int replyRetention = new int[] {3, 10, 60}[plan.nextInt(3)];
        int idRetention = replyRetention * new int[] {3, 30}[plan.nextInt(2)];
        long snapshotInterval = new long[] {3, 8, 25}[plan.nextInt(3)];
        long snapshotBytes = plan.nextInt(4) == 0 ? 300 : 64L << 20;
        int snapshotWriteFactor = new int[] {0, 4}[plan.nextInt(2)];
        int chunkBytes = new int[] {16, 100, 4096}[plan.nextInt(3)];
        int fetchBatch = new int[] {1, 4, 64}[plan.nextInt(3)];
        int backlog = new int[] {2, 10, 1000}[plan.nextInt(3)];
        long beacon = 10 + plan.nextInt(20);
        long suspect = beacon * (4 + plan.nextInt(5));
        long getSeqTimeout = 40 + plan.nextInt(160);
        long gapTimeout = 20 + plan.nextInt(80);
        long installTimeout = 100 + plan.nextInt(300);
        long applyMillis = plan.nextInt(3);
        NodeChecker checker = new NodeChecker(idRetention);
        NodeSimulation sim = new NodeSimulation(worldSeed, members, checker,
                s -> s.withTimeouts(60_000, getSeqTimeout, gapTimeout).withRetention(replyRetention, idRetention)
                        .withSnapshots(snapshotInterval, snapshotBytes, chunkBytes)
                        .withSnapshotWriteFactor(snapshotWriteFactor)
                        .withBounds(fetchBatch, 10_000, backlog).withLeadership(beacon, suspect, installTimeout),
                (m, self) -> new SequencerConfig(m, self, 5, readTimeout, writeTimeout, retransmit, heartbeat,
                        maxEntries, 1 + plan.nextInt(4), maxBytes, maxLag),
                applyMillis, snapshotStores, durable ? m -> SimulatedDisk.provisioned(lazy) : null);
        if (plant == Plant.STALE_RECOVERY_REPLIES) {
            sim.plantStaleRecoveryReplies();
        }
        try {
            double loss = plan.nextInt(10) < 3 ? 0 : plan.nextDouble() * 0.15;
            double dup = plan.nextDouble() * 0.1;
            long maxDelay = 1 + plan.nextInt(20);
            sim.setNetwork(loss, dup, 1, maxDelay);
            long chaosEnd = 1500 + plan.nextInt(2500);
            boolean stabilises = plan.nextInt(10) != 0;

            // drawn apart from the plan: most runs read linearizably (no log entry), the others order their reads
        boolean linearizableReads = plant == Plant.READS_WITHOUT_READ_INDEX
                || new SplittableRandom(seed ^ 0x5EAD5EADL).nextInt(4) != 0;
        int callerCount = 2 + plan.nextInt(4);
            List<Caller> callers = new ArrayList<>();
            for (int c = 1; c <= callerCount; c++) {
                callers.add(new Caller(sim, "c" + c, members.get(plan.nextInt(n)), 20 + plan.nextInt(41),
                        1 + plan.nextInt(4), 100 + plan.nextInt(500), plan.nextLong(chaosEnd / 3), plan.split(),
                        linearizableReads ? (plant == Plant.READS_WITHOUT_READ_INDEX ? ReadPath.LOCAL_AT_ONCE
                                : ReadPath.READ_INDEX) : ReadPath.ORDERED));
            }
            callers.forEach(Caller::start);
            watchForStoppedReplicas(sim);
            boolean beyondTheModel = false;
            if (durable) {
                beyondTheModel = plan.nextInt(10) == 0;
                scheduleDiskChaos(sim, plan.split(), (n - 1) / 2, chaosEnd, lazy, plant, beyondTheModel);
            }
            scheduleChaos(sim, plan, durable ? 0 : (n - 1) / 2, chaosEnd, suspect);
            sim.runFor(chaosEnd);
            if (!stabilises || beyondTheModel) {
                // a majority lost its disks: the run must only never contradict what was acknowledged (checked
                // on every event); the cluster may stay unavailable
                sim.runFor(3_000);
                checker.assertAcknowledgedExecuted();
                return result(seed, sim, n, false);
            }

            // Stabilisation: the network heals and stays reliable; every crashed server comes back.
            sim.heal();
            sim.setNetwork(0, dup, 1, maxDelay);
            for (Server s : sim.servers()) {
                if (s.crashed()) {
                    sim.restart(s.name);
                }
            }
            long deadline = sim.now() + 60_000;
            if (!sim.runUntil(() -> callers.stream().allMatch(Caller::finished), deadline)) {
                throw new AssertionError("not every call was answered within 60 s of stabilising: "
                        + callers.stream().filter(c -> !c.finished()).map(Caller::toString).toList()
                        + states(sim));
            }
            // 60 s, as for the calls: with 16-byte chunks a 6 KB snapshot takes some 400 round trips, and a server
            // that was far behind may need two installs in a row (seed 3496311271691196392 needed 24 s)
            boolean converged = sim.runUntil(() -> converged(sim), sim.now() + 60_000);
            if (!converged) {
                throw new AssertionError("the servers did not converge on one applied seq and state (executed up to seq "
                        + sim.checker().highestExecutedSeq() + "):" + states(sim));
            }
            checker.assertAcknowledgedExecuted();
            return result(seed, sim, n, true);
        } catch (Throwable t) {
            throw new SimulationFailure(seed, t, sim,
                    "mvn -pl replication-cdi -am test -Dtest=NodeSimulationTest -Dsurefire.failIfNoSpecifiedTests=false"
                            + " -Dseed=" + seed);
        }
    }

    private static Result result(long seed, NodeSimulation sim, int n, boolean stabilised) {
        long installs = 0;
        for (Server s : sim.servers()) {
            installs += s.node.status().snapshotsInstalled();
        }
        return new Result(seed, sim.traceHash(), n, sim.checker().executions(), sim.checker().retriesAnswered(),
                sim.checker().expiredAnswers(), installs, sim.messagesSent(), stabilised, sim.now(),
                sim.checker().linearizableReads());
    }

    private static boolean converged(NodeSimulation sim) {
        Server first = sim.servers().get(0);
        for (Server s : sim.servers()) {
            if (s.node.appliedSeq() != first.node.appliedSeq() || !s.machine.state().equals(first.machine.state())
                    || s.node.appliedSeq() < sim.checker().highestExecutedSeq()) {
                return false;
            }
        }
        return true;
    }

    private static String states(NodeSimulation sim) {
        StringBuilder out = new StringBuilder();
        for (Server s : sim.servers()) {
            NodeStatus st = s.node.status();
            out.append("\n  ").append(s.name).append(s.crashed() ? " (crashed)" : "").append(": ").append(st.role())
                    .append(" epoch ").append(st.epoch()).append(" leader ").append(st.leader()).append(" applied ")
                    .append(s.node.appliedSeq()).append(" definitive ").append(st.definitiveUpTo())
                    .append(" known ").append(st.knownUpTo()).append(" log ").append(st.logBase()).append("..")
                    .append(st.logLast()).append(" snapshot ").append(st.snapshotSeq()).append(" installing ")
                    .append(st.installingSnapshot()).append(" state ").append(s.machine.state());
        }
        return out.toString();
    }

    /** A replica that stops is a failure of the run (no fault here may make one stop): fail at once. */
    private static void watchForStoppedReplicas(NodeSimulation sim) {
        sim.at(sim.now() + 25, null, new Runnable() {
            @Override
            public void run() {
                for (Server s : sim.servers()) {
                    Throwable failure = s.node.failure();
                    if (failure != null && !s.crashed()) {
                        throw new AssertionError("the replica of " + s.name + " stopped", failure);
                    }
                }
                sim.at(sim.now() + 25, null, this);
            }
        });
    }

    private static void scheduleChaos(NodeSimulation sim, SplittableRandom plan, int maxDown, long chaosEnd,
                                      long suspect) {
        // Crashes, most followed by a restart with nothing; at any moment at most a minority is crashed or still
        // catching up (more would lose the ordered log, which needs the durable mode). In durable mode (maxDown 0)
        // the disk chaos crashes instead.
        int crashes = maxDown == 0 ? 0 : plan.nextInt(maxDown + 3);
        for (int i = 0; i < crashes; i++) {
            long t = plan.nextLong(chaosEnd);
            boolean primaryFirst = plan.nextBoolean();
            String fallback = sim.members().get(plan.nextInt(sim.members().size()));
            long restartAfter = plan.nextInt(10) < 8 ? 50 + plan.nextInt(1500) : -1;
            sim.at(t, null, () -> {
                if (down(sim) >= maxDown) {
                    return;
                }
                String victim = primaryFirst ? primary(sim, fallback) : fallback;
                Server s = sim.server(victim);
                if (s.crashed() || !s.node.status().ready()) {
                    return;
                }
                sim.crash(victim);
                if (restartAfter >= 0) {
                    sim.at(sim.now() + restartAfter, null, () -> {
                        if (sim.server(victim).crashed()) {    // stabilisation may have restarted it already
                            sim.restart(victim);
                        }
                    });
                }
            });
        }
        // Stalls of the primary: it stays in the group view, but its beacons stop; longer than the suspect timeout,
        // another server must take over.
        int stalls = plan.nextInt(4);
        for (int i = 0; i < stalls; i++) {
            long t = plan.nextLong(chaosEnd);
            long length = suspect / 2 + plan.nextLong(suspect * 4);
            String fallback = sim.members().get(plan.nextInt(sim.members().size()));
            sim.at(t, null, () -> sim.pause(primary(sim, fallback), sim.now() + length));
        }
        int partitions = plan.nextInt(3);
        for (int i = 0; i < partitions; i++) {
            long t = plan.nextLong(chaosEnd);
            long length = 50 + plan.nextInt(750);
            Set<String> side = new HashSet<>();
            for (String m : sim.members()) {
                if (plan.nextBoolean()) {
                    side.add(m);
                }
            }
            sim.at(t, null, () -> sim.partition(side));
            sim.at(Math.min(t + length, chaosEnd), null, sim::heal);
        }
    }

    private static String primary(NodeSimulation sim, String otherwise) {
        return sim.servers().stream().filter(s -> !s.crashed() && "PRIMARY".equals(s.node.status().role()))
                .map(s -> s.name).findFirst().orElse(otherwise);
    }

    /**
     * Durable mode: any number of servers crash, and come back from their disks in any order — sometimes the whole
     * cluster at once; a crashed server may lose its disk (at most a minority of the members at a time has no
     * proven state), or, beyond the failure model, a majority does.
     */
    private static void scheduleDiskChaos(NodeSimulation sim, SplittableRandom plan, int maxLost, long chaosEnd,
                                          boolean lazy, Plant plant, boolean beyondTheModel) {
        List<String> members = sim.members();
        Set<String> lostUnrecovered = new HashSet<>();
        sim.at(0, null, new Runnable() {
            @Override
            public void run() {                   // forget a lost disk once its server recovered from the others
                lostUnrecovered.removeIf(m -> !sim.server(m).crashed() && sim.server(m).node.status().recovered());
                sim.at(sim.now() + 20, null, this);
            }
        });
        int crashes = 1 + plan.nextInt(4);
        for (int i = 0; i < crashes; i++) {
            long t = plan.nextLong(chaosEnd);
            String victim = members.get(plan.nextInt(members.size()));
            boolean loseDisk = plan.nextInt(4) == 0;
            long restartAfter = plan.nextInt(10) < 8 ? 50 + plan.nextInt(1500) : -1;
            sim.at(t, null, () -> {
                if (sim.server(victim).crashed()) {
                    return;
                }
                sim.crash(victim);
                if (loseDisk && lostUnrecovered.size() < maxLost && !lostUnrecovered.contains(victim)) {
                    lostUnrecovered.add(victim);
                    sim.loseDisk(victim, replacementDisk(lazy, plant));
                }
                if (restartAfter >= 0) {
                    sim.at(sim.now() + restartAfter, null, () -> restartIfDown(sim, victim));
                }
            });
        }
        if (plan.nextInt(10) < 3 || beyondTheModel) {
            // the whole cluster goes down at once; the servers come back one by one, in any order
            long t = plan.nextLong(chaosEnd / 2, chaosEnd);
            List<String> order = new ArrayList<>(members);
            for (int i = order.size() - 1; i > 0; i--) {
                java.util.Collections.swap(order, i, plan.nextInt(i + 1));
            }
            long[] delays = new long[order.size()];
            for (int i = 0; i < delays.length; i++) {
                delays[i] = 100 + plan.nextInt(900) + (i == delays.length - 1 ? plan.nextInt(2000) : 0);
            }
            sim.at(t, null, () -> {
                for (String m : members) {
                    if (!sim.server(m).crashed()) {
                        sim.crash(m);
                    }
                }
                if (beyondTheModel) {
                    for (int i = 0; i <= maxLost; i++) {     // a majority loses its disks
                        sim.loseDisk(order.get(i), replacementDisk(lazy, plant));
                    }
                }
                long at = sim.now();
                for (int i = 0; i < order.size(); i++) {
                    at += delays[i];
                    String m = order.get(i);
                    sim.at(at, null, () -> restartIfDown(sim, m));
                }
            });
        }
    }

    private static SimulatedDisk replacementDisk(boolean lazy, Plant plant) {
        return plant == Plant.LOST_DISK_TAKEN_FOR_NEW ? SimulatedDisk.provisioned(lazy) : SimulatedDisk.lost(lazy);
    }

    private static void restartIfDown(NodeSimulation sim, String name) {
        if (sim.server(name).crashed()) {
            sim.restart(name);
        }
    }

    /** Servers crashed, or up but not yet caught up. */
    private static long down(NodeSimulation sim) {
        return sim.servers().stream().filter(s -> s.crashed() || !s.node.status().ready()).count();
    }

    /**
     * A caller: keeps up to {@code concurrency} calls outstanding until it has made {@code total}; an attempt
     * without a reply within {@code attemptMillis} is given up and the same request id is sent to the next server;
     * now and then it re-sends a call answered long ago.
     */
    /** How a caller's reads ({@code read:} ids) run. */
    enum ReadPath { ORDERED, READ_INDEX, LOCAL_AT_ONCE }

    static final class Caller {
        private final NodeSimulation sim;
        private final String name;
        private final int total;
        private final int concurrency;
        private final long attemptMillis;
        private final long startAt;
        private final SplittableRandom random;
        private final ReadPath reads;
        /** For each read not answered yet: the highest seq acknowledged to any caller when it was issued. */
        private final Map<String, Long> readFloors = new java.util.HashMap<>();
        private final Map<String, Attempt> outstanding = new LinkedHashMap<>();
        private final List<String> answered = new ArrayList<>();
        private final List<Long> answerTimes = new ArrayList<>();
        private int server;
        private int issued;

        private record Attempt(String reqId, byte[] payload, String server, CompletableFuture<Reply> reply) {
        }

        Caller(NodeSimulation sim, String name, String home, int total, int concurrency, long attemptMillis,
               long startAt, SplittableRandom random, ReadPath reads) {
            this.sim = sim;
            this.reads = reads;
            this.name = name;
            this.total = total;
            this.concurrency = concurrency;
            this.attemptMillis = attemptMillis;
            this.startAt = startAt;
            this.random = random;
            this.server = sim.members().indexOf(home);
        }

        void start() {
            sim.at(startAt, null, this::tick);
        }

        boolean finished() {
            return issued == total && outstanding.isEmpty();
        }

        private void tick() {
            while (issued < total && outstanding.size() < concurrency) {
                issued++;
                String reqId = (random.nextInt(10) == 0 ? "read:" : "") + name + "-" + issued;
                if (reqId.startsWith("read:")) {
                    readFloors.put(reqId, sim.checker().highestAcknowledgedSeq());
                }
                attempt(reqId, (name + " call " + issued).getBytes(StandardCharsets.UTF_8));
            }
            if (!answered.isEmpty() && random.nextInt(25) == 0) {
                String old = answered.get(random.nextInt(answered.size()));
                if (!outstanding.containsKey(old) && !old.startsWith("read:")) {
                    attempt(old, (old.replace("-", " call ")).getBytes(StandardCharsets.UTF_8));   // a late retry
                }
            }
            if (!finished()) {
                sim.at(sim.now() + 5 + random.nextInt(20), null, this::tick);
            }
        }

        private void attempt(String reqId, byte[] payload) {
            String target = sim.members().get(server);
            Server s = sim.server(target);
            CompletableFuture<Reply> reply = new CompletableFuture<>();
            Attempt a = new Attempt(reqId, payload, target, reply);
            outstanding.put(reqId, a);
            boolean read = reqId.startsWith("read:") && reads != ReadPath.ORDERED;
            if (!s.crashed() && read && reads == ReadPath.LOCAL_AT_ONCE) {
                ReplicationNode node = s.node;
                FoldingStateMachine machine = s.machine;
                sim.at(sim.now(), s, () -> reply.complete(Reply.returned(node.appliedSeq(), reqId, "read",
                        machine.state(), true)));
            } else if (!s.crashed() && read) {
                ReplicationNode node = s.node;
                FoldingStateMachine machine = s.machine;
                sim.at(sim.now(), s, () -> node.submitRead(() -> Reply.returned(node.appliedSeq(), reqId, "read",
                        machine.state(), true)).whenComplete((r, t) -> {
                            if (t == null) {
                                reply.complete(r);
                            } else {
                                reply.completeExceptionally(t);
                            }
                        }));
            } else if (!s.crashed()) {
                ReplicationNode node = s.node;
                sim.at(sim.now(), s, () -> node.submit(reqId, payload).whenComplete((r, t) -> {
                    if (t == null) {
                        reply.complete(r);
                    } else {
                        reply.completeExceptionally(t);
                    }
                }));
            }
            reply.whenComplete((r, t) -> sim.at(sim.now(), null, () -> done(a, r, t)));
            sim.at(sim.now() + attemptMillis, null, () -> {
                if (outstanding.get(reqId) == a) {          // no answer in time: the next server, same id
                    outstanding.remove(reqId);
                    if (!s.crashed() && !(reqId.startsWith("read:") && reads != ReadPath.ORDERED)) {
                        ReplicationNode node = s.node;
                        sim.at(sim.now(), s, () -> node.abandon(reqId, reply));
                    } else {
                        reply.cancel(false);                // a read given up on is not run later
                    }
                    server = (server + 1) % sim.members().size();
                    attempt(reqId, payload);
                }
            });
        }

        private void done(Attempt a, Reply reply, Throwable error) {
            if (outstanding.get(a.reqId()) != a) {
                return;                                     // given up already
            }
            if (error != null) {
                if (error instanceof ReplicaFailedException || error instanceof CallRefusedException
                        || error instanceof java.util.concurrent.CancellationException) {
                    return;                                 // the timeout moves it to another server
                }
                throw new AssertionError(name + ": " + a.reqId() + " failed on " + a.server(), error);
            }
            outstanding.remove(a.reqId());
            answerTimes.add(sim.now());
            sim.record(name + " got " + a.reqId() + " from " + a.server() + ": " + reply.describe());
            if (a.reqId().startsWith("read:") && reads != ReadPath.ORDERED) {
                sim.checker().onRead(a.reqId(), readFloors.remove(a.reqId()), reply.seq(), reply.value());
            } else {
                sim.checker().onReply(a.reqId(), reply);
            }
            if (!answered.contains(a.reqId())) {
                answered.add(a.reqId());
            }
        }

        /** The longest time between two answers (or from {@code from} to the first) within [from, to]. */
        long longestSilence(long from, long to) {
            long last = from;
            long longest = 0;
            for (long t : answerTimes) {
                if (t > from && t <= to) {
                    longest = Math.max(longest, t - last);
                    last = t;
                }
            }
            return Math.max(longest, to - last);
        }

        @Override
        public String toString() {
            return name + " issued " + issued + "/" + total + ", waiting for " + outstanding.keySet();
        }
    }
}
