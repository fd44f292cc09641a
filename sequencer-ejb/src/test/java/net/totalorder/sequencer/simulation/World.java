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
import java.util.function.Consumer;
import java.util.function.Predicate;

import net.totalorder.sequencer.core.Scheduler;
import net.totalorder.sequencer.core.SequencerCodec;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.Transport;

/**
 * A deterministic world of processes exchanging messages over a simulated network in virtual time; the base of
 * the sequencer's simulation ({@link Simulation}) and of the replication nodes' one (replication-cdi's tests). One
 * seed fixes everything — delays, loss, duplication and thereby reordering — so the same seed always produces the
 * same trace ({@link #traceHash()}).
 *
 * <p>Faults: per-link blocking (partitions), a drop filter for scripted scenarios, crashes (crash-stop: the
 * process's later events and sends are discarded, including the rest of a broadcast it was in the middle of),
 * pauses (performance failures: the process's events wait until it resumes) and stalls in the middle of a
 * broadcast. Every message crosses the network as bytes of {@link SequencerCodec}, so the codec is exercised by
 * every run.
 *
 * <p>Single-threaded: everything runs on the thread that calls {@link #runFor}/{@link #runUntil}.
 */
public class World {

    /** A message in flight. */
    public record Envelope(String from, String to, SequencerMessage message) {
    }

    /**
     * An event: it runs at {@code time}; {@code due} is when it was meant to run (later than that only when its
     * process was paused), so that a paused process still runs its events in the order they were due.
     */
    private record Event(long time, long due, long order, Process process, Runnable action) {
    }

    /** More events than this waiting at once is a storm no correct protocol makes in these worlds. */
    static final int MAX_QUEUED_EVENTS = 1_000_000;

    private final PriorityQueue<Event> events = new PriorityQueue<>(Comparator.comparingLong(Event::time)
            .thenComparingLong(Event::due).thenComparingLong(Event::order));
    private final SplittableRandom random;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Set<List<String>> blockedLinks = new HashSet<>();
    private final Trace trace = new Trace();
    private final List<Runnable> topologyListeners = new ArrayList<>();
    private Predicate<Envelope> dropFilter = e -> false;
    private Consumer<Envelope> sendObserver = e -> { };
    private long now;
    private long order;
    private long messagesSent;
    private long messagesDelivered;

    private double lossRate;
    private double duplicateRate;
    private long minDelayMillis = 1;
    private long maxDelayMillis = 1;

    public World(long seed) {
        this.random = new SplittableRandom(seed);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Building the world

    /** Adds {@code process}; its name must be new. */
    protected <P extends Process> P add(P process) {
        if (processes.putIfAbsent(process.name, process) != null) {
            throw new IllegalArgumentException("a process named " + process.name + " exists already");
        }
        return process;
    }

    public Process process(String name) {
        return processes.get(name);
    }

    public List<Process> processes() {
        return List.copyOf(processes.values());
    }

    /** Told after every crash, restart, partition and heal (e.g. to hand out new group views). */
    public void onTopologyChange(Runnable listener) {
        topologyListeners.add(listener);
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

    /** Told of every message a live process puts on the wire, before loss is decided (to inject faults). */
    public void setSendObserver(Consumer<Envelope> observer) {
        this.sendObserver = observer;
    }

    /** Blocks both directions between every process of {@code side} and every process not in it. */
    public void partition(Set<String> side) {
        for (String a : processes.keySet()) {
            for (String b : processes.keySet()) {
                if (side.contains(a) != side.contains(b)) {
                    blockedLinks.add(List.of(a, b));
                }
            }
        }
        record("partition " + side);
        topologyChanged();
    }

    public void heal() {
        blockedLinks.clear();
        record("heal");
        topologyChanged();
    }

    /** Whether {@code a} and {@code b} are both up and not cut off from each other. */
    public boolean connected(String a, String b) {
        Process pa = processes.get(a);
        Process pb = processes.get(b);
        return pa != null && pb != null && !pa.crashed && !pb.crashed && !blockedLinks.contains(List.of(a, b));
    }

    /**
     * A performance failure in the middle of a broadcast: whatever {@code name} sends for the rest of the current
     * instant is lost (not timely), then it is paused until {@code untilMillis}.
     */
    public void stallMidBroadcast(String name, long untilMillis) {
        Process p = processes.get(name);
        p.silencedAt = now;
        p.pausedUntil = Math.max(p.pausedUntil, untilMillis);
        record("stall " + name + " mid-broadcast until " + untilMillis);
    }

    /** Crash-stop: the process's events and sends are discarded from now on. */
    public void crash(String name) {
        Process p = processes.get(name);
        p.crashed = true;
        p.onCrash();
        record("crash " + name);
        topologyChanged();
    }

    /** Brings a crashed process back; {@link Process#onRestart()} starts its new incarnation. */
    public void restart(String name) {
        Process p = processes.get(name);
        if (!p.crashed) {
            throw new IllegalStateException(name + " is running");
        }
        p.crashed = false;
        p.pausedUntil = 0;
        p.silencedAt = -1;
        p.onRestart();
        record("restart " + name);
        topologyChanged();
    }

    /**
     * A performance failure: {@code name} handles nothing until {@code untilMillis} (or the end of a pause it is in
     * already, if later), then everything late, in the order it was due.
     */
    public void pause(String name, long untilMillis) {
        Process p = processes.get(name);
        p.pausedUntil = Math.max(p.pausedUntil, untilMillis);
        record("pause " + name + " until " + untilMillis);
    }

    private void topologyChanged() {
        topologyListeners.forEach(Runnable::run);
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
            if (events.size() > MAX_QUEUED_EVENTS) {
                throw new AssertionError("runaway: more than " + MAX_QUEUED_EVENTS + " events queued at t=" + now
                        + " (a message storm or a loop that keeps scheduling)");
            }
            now = e.time;
            if (e.process != null) {
                if (e.process.crashed) {
                    continue;
                }
                if (e.process.pausedUntil > now) {
                    events.add(new Event(e.process.pausedUntil, e.due, e.order, e.process, e.action));
                    continue;
                }
            }
            e.action.run();
        }
        return true;
    }

    /** Runs {@code action} at {@code time}, as an event of {@code process} (null: of the world itself). */
    public void at(long time, Process process, Runnable action) {
        events.add(new Event(time, time, order++, process, action));
    }

    public long traceHash() {
        return trace.hash();
    }

    public String recentTrace() {
        return trace.recent();
    }

    public void record(String event) {
        trace.record(now, event);
    }

    public long messagesSent() {
        return messagesSent;
    }

    public long messagesDelivered() {
        return messagesDelivered;
    }

    /** The world's random stream (network decisions use it too: draw from it only deterministically). */
    public SplittableRandom random() {
        return random;
    }

    /** Seeded payload bytes for a request. */
    public byte[] payloadFor(String reqId) {
        byte[] payload = new byte[1 + random.nextInt(24)];
        random.nextBytes(payload);
        return payload;
    }

    private void send(Process from, String to, SequencerMessage message) {
        if (from.crashed || from.silencedAt == now) {
            return;                           // crashed or stalled mid-broadcast: the rest is never sent
        }
        messagesSent++;
        byte[] bytes = SequencerCodec.encode(message);
        Process target = processes.get(to);
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

    private void deliver(String from, Process target, byte[] bytes) {
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
    // Processes

    /** A process of the world, with its own transport and timers (its events stop when it crashes). */
    public abstract class Process implements Transport, Scheduler {
        public final String name;
        boolean crashed;
        long pausedUntil;
        long silencedAt = -1;

        protected Process(String name) {
            this.name = name;
        }

        /** A message arrived for this process. */
        protected abstract void onMessage(String from, SequencerMessage message);

        /** The process crashed: stop what lives outside the event queue. */
        protected void onCrash() {
        }

        /** The process was restarted after a crash: start a new incarnation. */
        protected void onRestart() {
        }

        public boolean crashed() {
            return crashed;
        }

        public boolean paused() {
            return pausedUntil > now;
        }

        @Override
        public void send(String to, SequencerMessage message) {
            World.this.send(this, to, message);
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
}
