package net.totalorder.replication.cdi;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import net.totalorder.replication.core.FileSnapshotStore;
import net.totalorder.replication.core.InMemorySnapshotStore;
import net.totalorder.replication.core.NodeObserver;
import net.totalorder.replication.core.NodeSettings;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.SnapshotStore;
import net.totalorder.replication.core.StateMachine;
import net.totalorder.replication.core.ThreadedRuntime;
import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.ejb.SequencerBean;
import net.totalorder.sequencer.jgroups.GroupChannel;
import net.totalorder.sequencer.storage.FileLog;

/**
 * The binding on a real server: this server's {@link ReplicationNode} on the channel {@link SequencerBean} joined,
 * with its threads ({@link ThreadedRuntime}), and its log and snapshots on disk ({@link FileLog},
 * {@link FileSnapshotStore}: durable mode) or in memory.
 *
 * <p>MicroProfile Config keys and defaults (the README's table says what each bound costs):
 * {@code replication.call.timeout-ms} (10000), {@code replication.getseq.timeout-ms} (300),
 * {@code replication.gap.timeout-ms} (200), {@code replication.reply-retention} (100000 seqs),
 * {@code replication.request-id-retention} (1000000 seqs), {@code replication.snapshot.interval} (50000 seqs),
 * {@code replication.snapshot.write-factor} (4), {@code replication.snapshot.log-bytes} (67108864),
 * {@code replication.snapshot.chunk-bytes} (524288),
 * {@code replication.snapshot.install-timeout-ms} (2000), {@code replication.max-pending-calls} (10000),
 * {@code replication.apply.max-backlog} (10000), {@code replication.leader.beacon-ms} (100),
 * {@code replication.leader.suspect-timeout-ms} (1000), {@code replication.storage.dir} (none: memory mode; set:
 * durable mode, the log, hard state and snapshots in that directory), {@code replication.storage.fsync} (true),
 * {@code replication.storage.segment-bytes} (67108864), {@code replication.reads} ({@code linearizable};
 * {@code ordered} to order reads like writes, {@code local-stale} to serve them from the local replica at once) and
 * {@code replication.enabled} ({@code true};
 * {@code false} runs a single unreplicated server).
 *
 * <p>Thread-safe; connect and disconnect are called once each by the container.
 */
@ApplicationScoped
public class GroupClusterBinding implements ClusterBinding {

    private static final System.Logger LOG = System.getLogger(GroupClusterBinding.class.getName());

    @Inject
    SequencerBean sequencer;
    /** {@link ReplicationMetrics} where the server has MicroProfile Metrics; none otherwise. */
    @Inject
    Instance<NodeObserver> observer;

    private ReplicationNode node;
    private ReadMode reads = ReadMode.LINEARIZABLE;
    private boolean replicated;

    /** The node's settings from MicroProfile Config; fails with a message naming the key. */
    public static NodeSettings settingsFrom(Config c, SequencerConfig s) {
        NodeSettings d = NodeSettings.defaults(s.members(), s.self());
        return new NodeSettings(s.members(), s.self(),
                c.getOptionalValue("replication.call.timeout-ms", Long.class).orElse(d.callTimeoutMillis()),
                c.getOptionalValue("replication.getseq.timeout-ms", Long.class).orElse(d.getSeqTimeoutMillis()),
                d.retryBackoffMillis(),
                c.getOptionalValue("replication.gap.timeout-ms", Long.class).orElse(d.gapTimeoutMillis()),
                s.maxEntriesPerMessage(),
                c.getOptionalValue("replication.reply-retention", Integer.class).orElse(d.replyRetention()),
                c.getOptionalValue("replication.request-id-retention", Integer.class)
                        .orElse(d.requestIdRetention()),
                c.getOptionalValue("replication.snapshot.interval", Long.class).orElse(d.snapshotInterval()),
                c.getOptionalValue("replication.snapshot.log-bytes", Long.class).orElse(d.snapshotLogBytes()),
                c.getOptionalValue("replication.snapshot.chunk-bytes", Integer.class)
                        .orElse(d.snapshotChunkBytes()),
                c.getOptionalValue("replication.max-pending-calls", Integer.class).orElse(d.maxPendingCalls()),
                c.getOptionalValue("replication.apply.max-backlog", Integer.class).orElse(d.maxApplyBacklog()),
                c.getOptionalValue("replication.leader.beacon-ms", Long.class).orElse(d.beaconMillis()),
                c.getOptionalValue("replication.leader.suspect-timeout-ms", Long.class)
                        .orElse(d.suspectAfterMillis()),
                c.getOptionalValue("replication.snapshot.install-timeout-ms", Long.class)
                        .orElse(d.installTimeoutMillis()),
                c.getOptionalValue("replication.snapshot.write-factor", Integer.class)
                        .orElse(d.snapshotWriteFactor()));
    }

    @Override
    public ReplicationNode connect(StateMachine stateMachine) {
        Config c = ConfigProvider.getConfig();
        replicated = SequencerBean.enabled(c);
        reads = ReadMode.of(c.getOptionalValue("replication.reads", String.class)
                .orElse(ReadMode.LINEARIZABLE.key()));
        if (!replicated) {
            // one member, no network: calls run on its apply thread, one at a time, unordered
            String self = c.getOptionalValue("replication.node", String.class).orElse("solo");
            SequencerConfig solo = SequencerConfig.of(List.of(self), self);
            node = new ReplicationNode(NodeSettings.defaults(List.of(self), self), solo, new ThreadedRuntime(self),
                    (to, message) -> { }, stateMachine, new InMemoryLog(), new InMemorySnapshotStore());
            node.start(0);
            return node;
        }
        SequencerConfig s = sequencer.config();
        GroupChannel channel = sequencer.channel();
        Optional<String> dir = c.getOptionalValue("replication.storage.dir", String.class).map(String::trim)
                .filter(d -> !d.isEmpty());
        LogStorage log;
        SnapshotStore snapshots;
        if (dir.isPresent()) {
            boolean fsync = c.getOptionalValue("replication.storage.fsync", Boolean.class).orElse(true);
            long segmentBytes = c.getOptionalValue("replication.storage.segment-bytes", Long.class)
                    .orElse(64L << 20);
            Path storage = Path.of(dir.get());
            log = new FileLog(storage, s.self(), fsync, segmentBytes);
            snapshots = new FileSnapshotStore(storage.resolve("snapshots"), fsync);
            LOG.log(System.Logger.Level.INFO, "replica " + s.self() + ": durable storage in " + storage + " (fsync "
                    + (fsync ? "on" : "off") + "), found " + log.origin() + " (last seq " + log.lastSeq() + ")");
        } else {
            log = new InMemoryLog();
            snapshots = new InMemorySnapshotStore();
            LOG.log(System.Logger.Level.INFO, "replica " + s.self() + ": in memory (no replication.storage.dir): a "
                    + "restart starts empty and catches up from the others");
        }
        node = new ReplicationNode(settingsFrom(c, s), s, new ThreadedRuntime(s.self()), channel, stateMachine, log,
                snapshots, observer.isResolvable() ? observer.get() : NodeObserver.NONE);
        channel.connect(node::receive, node::viewChanged, node::dropped);
        node.start(new SecureRandom().nextLong());
        return node;
    }

    @Override
    public void disconnect() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    public ReadMode reads() {
        return reads;
    }

    @Override
    public boolean replicated() {
        return replicated;
    }
}
