package net.totalorder.replication.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import net.totalorder.replication.cdi.ClusterBinding;
import net.totalorder.replication.cdi.ReadMode;
import net.totalorder.replication.core.InMemorySnapshotStore;
import net.totalorder.replication.core.NodeSettings;
import net.totalorder.replication.core.Reply;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.StateMachine;
import net.totalorder.replication.core.ThreadedRuntime;
import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.TentativeAssignment;

/**
 * Connects one test server to the {@link InJvmNetwork}: the node as a server wires it (threads, in-memory log and
 * snapshots), with short timeouts, and a log of every reply its replica recorded, in seq order, to compare replicas.
 * Thread-safe.
 */
public final class InJvmBinding implements ClusterBinding {

    private final InJvmNetwork network;
    private final String name;
    private final List<String> members;
    private final UnaryOperator<NodeSettings> settings;
    private final List<String> replyLog = Collections.synchronizedList(new ArrayList<>());
    private volatile ReplicationNode node;
    private volatile ReadMode reads = ReadMode.LINEARIZABLE;

    InJvmBinding(InJvmNetwork network, String name, List<String> members, UnaryOperator<NodeSettings> settings) {
        this.network = network;
        this.name = name;
        this.members = members;
        this.settings = settings;
    }

    /** The settings of the in-JVM servers before a test's own: short timeouts, small snapshot chunks. */
    static NodeSettings testDefaults(List<String> members, String name) {
        return NodeSettings.defaults(members, name).withTimeouts(10_000, 150, 100)
                .withSnapshots(50_000, 64L << 20, 1024);
    }

    @Override
    public ReplicationNode connect(StateMachine stateMachine) {
        StateMachine logged = new StateMachine() {
            @Override
            public Reply apply(TentativeAssignment assignment) {
                Reply reply = stateMachine.apply(assignment);
                replyLog.add(reply.describe());
                return reply;
            }

            @Override
            public Capture capture() {
                return stateMachine.capture();
            }

            @Override
            public void restore(java.io.InputStream state) throws java.io.IOException {
                stateMachine.restore(state);
                replyLog.add("restored a snapshot");
            }
        };
        ReplicationNode n = new ReplicationNode(settings.apply(testDefaults(members, name)),
                new SequencerConfig(members, name, 5, 200, 300, 20, 20, 256, 4), new ThreadedRuntime(name),
                network.transportFor(name), logged, new InMemoryLog(), new InMemorySnapshotStore());
        node = n;
        network.register(name, n);
        n.start(name.hashCode() ^ System.nanoTime());
        return n;
    }

    @Override
    public void disconnect() {
        network.unregister(name);
        node.close();
    }

    @Override
    public ReadMode reads() {
        return reads;
    }

    public void setReads(ReadMode reads) {
        this.reads = reads;
    }

    public ReplicationNode node() {
        return node;
    }

    /** The replies this replica recorded, in the order it applied them. */
    public List<String> replyLog() {
        synchronized (replyLog) {
            return List.copyOf(replyLog);
        }
    }
}
