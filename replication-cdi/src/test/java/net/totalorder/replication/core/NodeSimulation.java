package net.totalorder.replication.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.Recover;
import net.totalorder.sequencer.core.SequencerMessage.RecoverReply;
import net.totalorder.sequencer.simulation.World;

/**
 * Whole replication nodes in a deterministic {@link World}: each server is a {@link ReplicationNode} — sequencer
 * replica, client, leader selection, delivery engine, reply cache, snapshots, compaction, catch-up — wired as on a
 * real server, on a {@link VirtualRuntime}, applying to a {@link FoldingStateMachine}. Group views follow the world:
 * a server's view holds the servers it is connected to (a crashed server leaves it at once, a paused one stays, as
 * in JGroups until its failure detector fires). In memory mode a restarted server starts with nothing; in durable
 * mode it starts from its {@link SimulatedDisk} (what was synced), which it can also lose whole.
 *
 * <p>Single-threaded, like the world.
 */
final class NodeSimulation extends World {

    private final List<String> members;
    private final NodeChecker checker;
    private final UnaryOperator<NodeSettings> settings;
    private final BiFunction<List<String>, String, SequencerConfig> sequencer;
    private final long applyMillis;
    private final Supplier<SnapshotStore> snapshotStores;
    /** A planted bug: recovering replicas adopt recovery replies given to an earlier incarnation's ask. */
    private boolean staleRecoveryReplies;
    /** Durable mode: each server has a {@link SimulatedDisk} that survives its crashes; null in memory mode. */
    private final java.util.function.Function<String, SimulatedDisk> disks;

    /**
     * @param snapshotStores where each new incarnation keeps its snapshots (a test plants a faulty store here)
     */
    NodeSimulation(long seed, List<String> members, NodeChecker checker, UnaryOperator<NodeSettings> settings,
                   BiFunction<List<String>, String, SequencerConfig> sequencer, long applyMillis,
                   Supplier<SnapshotStore> snapshotStores) {
        this(seed, members, checker, settings, sequencer, applyMillis, snapshotStores, null);
    }

    /** @param disks in durable mode, the disk each server is provisioned with (null: memory mode) */
    NodeSimulation(long seed, List<String> members, NodeChecker checker, UnaryOperator<NodeSettings> settings,
                   BiFunction<List<String>, String, SequencerConfig> sequencer, long applyMillis,
                   Supplier<SnapshotStore> snapshotStores,
                   java.util.function.Function<String, SimulatedDisk> disks) {
        super(seed);
        this.disks = disks;
        this.members = List.copyOf(members);
        this.checker = checker;
        this.settings = settings;
        this.sequencer = sequencer;
        this.applyMillis = applyMillis;
        this.snapshotStores = snapshotStores;
        for (String m : members) {
            add(new Server(m)).startIncarnation();
        }
        onTopologyChange(this::announceViews);
        announceViews();
    }

    Server server(String name) {
        return (Server) process(name);
    }

    List<Server> servers() {
        return processes().stream().filter(p -> p instanceof Server).map(p -> (Server) p).toList();
    }

    List<String> members() {
        return members;
    }

    NodeChecker checker() {
        return checker;
    }

    /** Each live server learns the members it is connected to, as a JGroups view (an event: a paused one, late). */
    private void announceViews() {
        for (Server s : servers()) {
            if (s.crashed()) {
                continue;
            }
            List<String> view = new ArrayList<>();
            for (String m : members) {
                if (m.equals(s.name) || connected(s.name, m)) {
                    view.add(m);
                }
            }
            ReplicationNode node = s.node;
            at(now(), s, () -> node.viewChanged(view));
        }
    }

    boolean durable() {
        return disks != null;
    }

    /**
     * Plants a bug: a restarted server's recovery also takes, as if it answered its new ask, the first recovery reply
     * each member gave to an earlier incarnation of it — what a replica does when replies carry no nonce.
     */
    void plantStaleRecoveryReplies() {
        staleRecoveryReplies = true;
    }

    /** The crashed server {@code name} loses its disk: it will come back with nothing, not even its marker. */
    void loseDisk(String name, SimulatedDisk replacement) {
        Server s = server(name);
        if (!s.crashed()) {
            throw new IllegalStateException(name + " is running");
        }
        s.disk = replacement;
        record("disk of " + name + " lost");
    }

    /** One server: its node, its application and, in durable mode, its disk. */
    final class Server extends Process {
        ReplicationNode node;
        FoldingStateMachine machine;
        VirtualRuntime runtime;
        SimulatedDisk disk;
        int incarnation;
        /** The planted bug: the first recovery reply heard from each member, kept across incarnations. */
        private final java.util.Map<String, RecoverReply> repliesHeard = new java.util.HashMap<>();

        Server(String name) {
            super(name);
            disk = disks == null ? null : disks.apply(name);
        }

        void startIncarnation() {
            incarnation++;
            runtime = new VirtualRuntime(NodeSimulation.this, this, applyMillis, 2);
            machine = new FoldingStateMachine(name, checker);
            node = new ReplicationNode(settings.apply(NodeSettings.defaults(members, name)),
                    sequencer.apply(members, name), runtime, this, machine,
                    disk == null ? new InMemoryLog() : disk.open(),
                    disk == null ? snapshotStores.get() : disk.snapshots());
            node.start(random().nextLong());
        }

        @Override
        protected void onMessage(String from, SequencerMessage message) {
            if (staleRecoveryReplies && message instanceof RecoverReply r) {
                repliesHeard.putIfAbsent(from, r);        // the oldest: the most stale
            }
            node.receive(from, message);
        }

        @Override
        public void send(String to, SequencerMessage message) {
            RecoverReply old = staleRecoveryReplies && message instanceof Recover ? repliesHeard.get(to) : null;
            if (old != null && old.nonce() != ((Recover) message).nonce()) {
                RecoverReply stale = new RecoverReply(((Recover) message).nonce(), old.recovering(), old.highestEpoch(),
                        old.stateEpoch(), old.lastSeq(), old.incarnation());
                ReplicationNode current = node;
                at(now() + 1, this, () -> current.receive(to, stale));
            }
            super.send(to, message);
        }

        @Override
        protected void onCrash() {
            runtime.close();
        }

        @Override
        protected void onRestart() {
            startIncarnation();
            record("restart " + name + " as incarnation " + incarnation);
        }
    }
}
