package net.totalorder.replication.cdi;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import net.totalorder.replication.core.Applier;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.ejb.SequencerBean;

/**
 * The binding on a real server: the replication node sends over this server's {@link SequencerBean} channel and
 * is fed the definitive assignments of its sequencer replica.
 *
 * <p>MicroProfile Config keys, with defaults: {@code replication.call.timeout-ms} (10000: a call without a reply
 * by then fails with HTTP 503), {@code replication.getseq.timeout-ms} (300), {@code replication.gap.timeout-ms}
 * (200), {@code replication.reply-retention} (1000000 seqs: far beyond any client's retry window at the rates this
 * cluster sustains; a retry after its reply was evicted fails instead of executing twice), and
 * {@code replication.reads} ({@code ordered}, or {@code local} to serve read-only methods from the local replica),
 * and {@code replication.enabled} ({@code true}; {@code false} runs a single unreplicated server).
 *
 * <p>Thread-safe; connect and disconnect are called once each by the container.
 */
@ApplicationScoped
public class GroupClusterBinding implements ClusterBinding {

    @Inject
    SequencerBean sequencer;

    private ReplicationNode node;
    private boolean localReads;
    private boolean replicated;

    @Override
    public ReplicationNode connect(Applier applier) {
        Config c = ConfigProvider.getConfig();
        replicated = SequencerBean.enabled(c);
        if (!replicated) {
            String self = c.getOptionalValue("replication.node", String.class).orElse("solo");
            node = new ReplicationNode(new ReplicationNode.Settings(List.of(self), self, 10_000, 300, 10, 200, 512,
                    1), (to, message) -> { }, applier);
            return node;
        }
        SequencerConfig s = sequencer.config();
        ReplicationNode.Settings settings = new ReplicationNode.Settings(s.members(), s.self(),
                c.getOptionalValue("replication.call.timeout-ms", Long.class).orElse(10_000L),
                c.getOptionalValue("replication.getseq.timeout-ms", Long.class).orElse(300L),
                10,
                c.getOptionalValue("replication.gap.timeout-ms", Long.class).orElse(200L),
                s.maxEntriesPerMessage(),
                c.getOptionalValue("replication.reply-retention", Integer.class).orElse(1_000_000));
        String reads = c.getOptionalValue("replication.reads", String.class).orElse("ordered").trim();
        if (!reads.equals("ordered") && !reads.equals("local")) {
            throw new IllegalArgumentException("replication.reads must be 'ordered' or 'local', not '" + reads + "'");
        }
        localReads = reads.equals("local");
        node = new ReplicationNode(settings, sequencer.transport(), applier);
        sequencer.attach(node::receive, node::deliverDefinitive);
        node.start();
        return node;
    }

    @Override
    public void disconnect() {
        if (node != null) {
            node.close();
        }
    }

    @Override
    public boolean localReads() {
        return localReads;
    }

    @Override
    public boolean replicated() {
        return replicated;
    }
}
