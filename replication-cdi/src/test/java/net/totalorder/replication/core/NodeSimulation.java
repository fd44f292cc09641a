package net.totalorder.replication.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.simulation.World;

/**
 * Whole replication nodes in a deterministic {@link World}: each server is a {@link ReplicationNode} — sequencer
 * replica, client, leader selection, delivery engine, reply cache, snapshots, compaction, catch-up — wired as on a
 * real server, on a {@link VirtualRuntime}, applying to a {@link FoldingStateMachine}. Group views follow the world:
 * a server's view holds the servers it is connected to (a crashed server leaves it at once, a paused one stays, as
 * in JGroups until its failure detector fires). A restarted server starts with nothing (in-memory mode).
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

    /**
     * @param snapshotStores where each new incarnation keeps its snapshots (a test plants a faulty store here)
     */
    NodeSimulation(long seed, List<String> members, NodeChecker checker, UnaryOperator<NodeSettings> settings,
                   BiFunction<List<String>, String, SequencerConfig> sequencer, long applyMillis,
                   Supplier<SnapshotStore> snapshotStores) {
        super(seed);
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

    /** One server: its node and its application. */
    final class Server extends Process {
        ReplicationNode node;
        FoldingStateMachine machine;
        VirtualRuntime runtime;
        int incarnation;

        Server(String name) {
            super(name);
        }

        void startIncarnation() {
            incarnation++;
            runtime = new VirtualRuntime(NodeSimulation.this, this, applyMillis, 2);
            machine = new FoldingStateMachine(name, checker);
            node = new ReplicationNode(settings.apply(NodeSettings.defaults(members, name)),
                    sequencer.apply(members, name), runtime, this, machine, new InMemoryLog(),
                    snapshotStores.get());
            node.start(random().nextLong());
        }

        @Override
        protected void onMessage(String from, SequencerMessage message) {
            node.receive(from, message);
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
