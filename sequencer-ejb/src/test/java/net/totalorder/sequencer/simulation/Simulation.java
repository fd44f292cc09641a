package net.totalorder.sequencer.simulation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import net.totalorder.sequencer.core.LeaderOracle;
import net.totalorder.sequencer.core.Scheduler;
import net.totalorder.sequencer.core.SequencerClient;
import net.totalorder.sequencer.core.SequencerCodec;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.core.Transport;

/**
 * A deterministic world for the sequencer: replicas and clients exchange messages over a simulated network in
 * virtual time. One seed fixes everything — network delays, loss, duplication and thereby reordering — so the
 * same seed always produces the same trace ({@link #traceHash()}).
 *
 * <p>Faults: per-link blocking (partitions), a drop filter for scripted scenarios, crashes (crash-stop: the node's
 * later events and sends are discarded, including the rest of a broadcast it was in the middle of), pauses
 * (performance failures: the node's events wait until it resumes), and a leader oracle the test sets per replica,
 * which may name several leaders or none.
 *
 * <p>Every message crosses the network as bytes of {@link SequencerCodec}, so the codec is exercised by every run.
 * Every definitive assignment, client delivery and request is reported to the {@link SequencerChecker}, which
 * fails fast on a violation of P1–P4.
 *
 * <p>Single-threaded: everything runs on the thread that calls {@link #runFor}/{@link #runUntil}.
 */
public final class Simulation {

    /** A message in flight. */
    public record Envelope(String from, String to, SequencerMessage message) {
    }

    private record Event(long time, long order, Node node, Runnable action) {
    }

    private final PriorityQueue<Event> events = new PriorityQueue<>(
            Comparator.comparingLong(Event::time).thenComparingLong(Event::order));
    private final SplittableRandom random;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final Set<List<String>> blockedLinks = new HashSet<>();
    private final List<String> members;
    private final SequencerChecker checker = new SequencerChecker();
    private final Trace trace = new Trace();
    private Predicate<Envelope> dropFilter = e -> false;
    private java.util.function.Consumer<Envelope> sendObserver = e -> { };
    private long now;
    private long order;
    private long messagesSent;
    private long messagesDelivered;

    private double lossRate;
    private double duplicateRate;
    private long minDelayMillis = 1;
    private long maxDelayMillis = 1;

    public Simulation(long seed, List<String> members) {
        this.random = new SplittableRandom(seed);
        this.members = List.copyOf(members);
    }

    /**
     * A world for step-by-step scenarios: the given replicas with short timeouts, and a network that loses
     * nothing and delivers every message 1 ms after it was sent, in order.
     */
    public static Simulation scripted(List<String> members) {
        Simulation sim = new Simulation(0, members);
        for (String m : members) {
            sim.addReplica(new SequencerConfig(members, m, 5, 100, 100, 20, 20, 64, 4));
        }
        sim.setNetwork(0, 0, 1, 1);
        return sim;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Building the world

    public ReplicaNode addReplica(SequencerConfig config) {
        ReplicaNode node = new ReplicaNode(config);
        nodes.put(node.name, node);
        node.startIncarnation();
        return node;
    }

    /**
     * Restarts a crashed replica with an empty state, as a restarted server: a new {@link SequencerReplica} that
     * must recover before it takes part. Messages still in flight to the old incarnation reach the new one.
     */
    public void restart(String name) {
        ReplicaNode node = replica(name);
        if (!node.crashed) {
            throw new IllegalStateException(name + " is running");
        }
        node.crashed = false;
        node.pausedUntil = 0;
        node.silencedAt = -1;
        node.startIncarnation();
        trace.record(now, "restart " + name + " as incarnation " + node.incarnation);
    }

    public ClientNode addClient(String name, long timeoutMillis, long retryBackoffMillis) {
        ClientNode node = new ClientNode(name);
        node.client = new SequencerClient(members, node, node, timeoutMillis, retryBackoffMillis);
        nodes.put(name, node);
        return node;
    }

    public ReplicaNode replica(String name) {
        return (ReplicaNode) nodes.get(name);
    }

    public List<ReplicaNode> replicas() {
        return nodes.values().stream().filter(n -> n instanceof ReplicaNode).map(n -> (ReplicaNode) n).toList();
    }

    public List<ClientNode> clients() {
        return nodes.values().stream().filter(n -> n instanceof ClientNode).map(n -> (ClientNode) n).toList();
    }

    public SequencerChecker checker() {
        return checker;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Network conditions and faults

    public void setNetwork(double lossRate, double duplicateRate, long minDelayMillis, long maxDelayMillis) {
        this.lossRate = lossRate;
        this.duplicateRate = duplicateRate;
        this.minDelayMillis = minDelayMillis;
        this.maxDelayMillis = Math.max(minDelayMillis, maxDelayMillis);
        trace.record(now, "network loss=" + lossRate + " dup=" + duplicateRate + " delay=" + minDelayMillis + ".."
                + maxDelayMillis);
    }

    /** Drops every message for which {@code filter} holds (scripted scenarios). */
    public void setDropFilter(Predicate<Envelope> filter) {
        this.dropFilter = filter;
    }

    /** Told of every message a live node puts on the wire, before loss is decided (to inject faults). */
    public void setSendObserver(java.util.function.Consumer<Envelope> observer) {
        this.sendObserver = observer;
    }

    /** Blocks both directions between every node of {@code side} and every node not in it. */
    public void partition(Set<String> side) {
        for (String a : nodes.keySet()) {
            for (String b : nodes.keySet()) {
                if (side.contains(a) != side.contains(b)) {
                    blockedLinks.add(List.of(a, b));
                }
            }
        }
        trace.record(now, "partition " + side);
    }

    public void heal() {
        blockedLinks.clear();
        trace.record(now, "heal");
    }

    /**
     * A performance failure in the middle of a broadcast: whatever {@code name} sends for the rest of the current
     * instant is lost (not timely), then it is paused until {@code untilMillis}.
     */
    public void stallMidBroadcast(String name, long untilMillis) {
        Node node = nodes.get(name);
        node.silencedAt = now;
        node.pausedUntil = untilMillis;
        trace.record(now, "stall " + name + " mid-broadcast until " + untilMillis);
    }

    public void crash(String name) {
        Node node = nodes.get(name);
        node.crashed = true;
        if (node instanceof ReplicaNode r) {
            r.replica.stop();
        }
        trace.record(now, "crash " + name);
    }

    /** A performance failure: {@code name} handles nothing until {@code untilMillis}, then everything late. */
    public void pause(String name, long untilMillis) {
        nodes.get(name).pausedUntil = untilMillis;
        trace.record(now, "pause " + name + " until " + untilMillis);
    }

    /** Sets which replicas believe they lead (the oracle may be wrong: several, or none). */
    public void setLeaders(Set<String> believers) {
        String hint = believers.size() == 1 ? believers.iterator().next() : null;
        for (ReplicaNode r : replicas()) {
            r.believesLeader = believers.contains(r.name);
            r.leaderHint = hint;
            at(now, r, r.replica::onLeadershipChange);
        }
        trace.record(now, "leaders " + believers);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Running

    public long now() {
        return now;
    }

    public void runFor(long millis) {
        runUntil(() -> false, now + millis);
    }

    /** Runs until {@code condition} holds (checked after every event) or virtual time reaches {@code deadline}. */
    public boolean runUntil(BooleanSupplier condition, long deadline) {
        while (!condition.getAsBoolean()) {
            Event e = events.peek();
            if (e == null || e.time > deadline) {
                now = Math.max(now, deadline);
                return condition.getAsBoolean();
            }
            events.poll();
            now = e.time;
            if (e.node != null) {
                if (e.node.crashed) {
                    continue;
                }
                if (e.node.pausedUntil > now) {
                    at(e.node.pausedUntil, e.node, e.action);
                    continue;
                }
            }
            e.action.run();
        }
        return true;
    }

    public long traceHash() {
        return trace.hash();
    }

    public String recentTrace() {
        return trace.recent();
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long messagesDelivered() {
        return messagesDelivered;
    }

    SplittableRandom random() {
        return random;
    }

    void at(long time, Node node, Runnable action) {
        events.add(new Event(time, order++, node, action));
    }

    private void send(Node from, String to, SequencerMessage message) {
        if (from.crashed || from.silencedAt == now) {
            return;                           // crashed or stalled mid-broadcast: the rest is never sent
        }
        messagesSent++;
        byte[] bytes = SequencerCodec.encode(message);
        Node target = nodes.get(to);
        Envelope envelope = new Envelope(from.name, to, message);
        sendObserver.accept(envelope);
        if (target == null || blockedLinks.contains(List.of(from.name, to)) || dropFilter.test(envelope)
                || random.nextDouble() < lossRate) {
            trace.recordMessage(now, from.name, "dropped:" + to, message, Arrays.hashCode(bytes));
            return;
        }
        int copies = random.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = minDelayMillis + (maxDelayMillis > minDelayMillis
                    ? random.nextLong(maxDelayMillis - minDelayMillis + 1) : 0);
            at(now + delay, target, () -> deliver(from.name, target, bytes));
        }
    }

    private void deliver(String from, Node target, byte[] bytes) {
        if (blockedLinks.contains(List.of(from, target.name))) {
            trace.record(now, "cut " + from + "->" + target.name);
            return;                           // a partition also cuts what was already on the wire
        }
        SequencerMessage message = SequencerCodec.decode(bytes);
        messagesDelivered++;
        trace.recordMessage(now, from, target.name, message, Arrays.hashCode(bytes));
        target.onMessage(from, message);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Nodes

    /** A process of the simulation, with its own transport and timers. */
    public abstract class Node implements Transport, Scheduler {
        public final String name;
        boolean crashed;
        long pausedUntil;
        long silencedAt = -1;

        Node(String name) {
            this.name = name;
        }

        abstract void onMessage(String from, SequencerMessage message);

        public boolean crashed() {
            return crashed;
        }

        @Override
        public void send(String to, SequencerMessage message) {
            Simulation.this.send(this, to, message);
        }

        @Override
        public long nowMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            boolean[] cancelled = new boolean[1];
            at(now + delayMillis, this, () -> {
                if (!cancelled[0]) {
                    task.run();
                }
            });
            return () -> cancelled[0] = true;
        }
    }

    /** A sequencer replica and its view of the leader oracle. */
    public final class ReplicaNode extends Node implements LeaderOracle {
        final SequencerConfig config;
        SequencerReplica replica;
        int incarnation;
        boolean believesLeader;
        String leaderHint;

        ReplicaNode(SequencerConfig config) {
            super(config.self());
            this.config = config;
        }

        void startIncarnation() {
            incarnation++;
            String learner = name + "#" + incarnation;
            replica = new SequencerReplica(config, this, this, this, ta -> checker.onDefinitive(learner, ta));
            replica.start(random.nextLong());
        }

        /** The checker's name for this incarnation. */
        public String learner() {
            return name + "#" + incarnation;
        }

        public SequencerReplica replica() {
            return replica;
        }

        @Override
        void onMessage(String from, SequencerMessage message) {
            replica.onMessage(from, message);
        }

        @Override
        public boolean isLeader() {
            return believesLeader;
        }

        @Override
        public String leader() {
            return leaderHint;
        }
    }

    /** A client process issuing requests through a {@link SequencerClient}. */
    public final class ClientNode extends Node {
        SequencerClient client;
        final Map<String, Long> delivered = new LinkedHashMap<>();
        final List<String> issued = new ArrayList<>();

        ClientNode(String name) {
            super(name);
        }

        /** Issues {@code reqId} now; the reply is checked against P2 and recorded. */
        public void getSeq(String reqId, byte[] payload) {
            issued.add(reqId);
            checker.onIssued(reqId, payload);
            trace.record(now, name + " issues " + reqId);
            client.getSeq(reqId, payload, seq -> {
                checker.onClientDelivered(name, reqId, seq);
                delivered.put(reqId, seq);
                trace.record(now, name + " delivers " + reqId + "=" + seq);
            });
        }

        /** Asks again for a request this client already issued, as a client retrying after a crash would. */
        public void retry(String reqId) {
            trace.record(now, name + " retries " + reqId);
            client.getSeq(reqId, checker.payloadOf(reqId), seq -> {
                checker.onClientDelivered(name, reqId, seq);
                trace.record(now, name + " re-delivers " + reqId + "=" + seq);
            });
        }

        /** The seq delivered for {@code reqId}, or null. */
        public Long delivered(String reqId) {
            return delivered.get(reqId);
        }

        public int deliveredCount() {
            return delivered.size();
        }

        public List<String> issued() {
            return issued;
        }

        @Override
        void onMessage(String from, SequencerMessage message) {
            client.onMessage(from, message);
        }
    }

    /** Seeded payload bytes for a request. */
    public byte[] payloadFor(String reqId) {
        byte[] payload = new byte[1 + random.nextInt(24)];
        random.nextBytes(payload);
        return payload;
    }

    /** For the checker's use in scripted tests: the assignment a replica holds, or null. */
    public TentativeAssignment assignmentAt(String replica, long seq) {
        return replica(replica).replica.assignmentAt(seq);
    }
}
