package net.totalorder.replication.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import net.totalorder.replication.cdi.ClusterBinding;
import net.totalorder.replication.core.Applier;
import net.totalorder.replication.core.Reply;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.sequencer.core.SequencerConfig;

/**
 * Connects one test server to the {@link InJvmNetwork}: a node hosting a sequencer replica, and a log of every reply
 * its replica recorded, in seq order, to compare replicas. Thread-safe.
 */
public final class InJvmBinding implements ClusterBinding {

    private final InJvmNetwork network;
    private final String name;
    private final List<String> members;
    private final List<String> replyLog = Collections.synchronizedList(new ArrayList<>());
    private volatile ReplicationNode node;
    private volatile boolean localReads;

    InJvmBinding(InJvmNetwork network, String name, List<String> members) {
        this.network = network;
        this.name = name;
        this.members = members;
    }

    @Override
    public ReplicationNode connect(Applier applier) {
        ReplicationNode.Settings settings = new ReplicationNode.Settings(members, name, 10_000, 150, 10, 100, 256,
                100_000);
        ReplicationNode n = new ReplicationNode(settings, network.transportFor(name), ta -> {
            Reply reply = applier.apply(ta);
            replyLog.add(reply.describe());
            return reply;
        });
        network.register(name, n);
        n.hostSequencerReplica(new SequencerConfig(members, name, 5, 200, 300, 20, 20, 256, 4),
                network.oracleFor(name), name.hashCode());
        n.start();
        node = n;
        return n;
    }

    @Override
    public void disconnect() {
        network.unregister(name);
        node.close();
    }

    @Override
    public boolean localReads() {
        return localReads;
    }

    public void setLocalReads(boolean localReads) {
        this.localReads = localReads;
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
