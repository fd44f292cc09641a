package net.totalorder.sequencer.ejb;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.jgroups.GroupChannel;

/**
 * This server's seat in the clustered sequencer service, taken when the application starts: it reads the
 * sequencer's configuration and joins the cluster's JGroups channel ({@link GroupChannel}), so that the group view
 * holds this server from the start. The replica itself runs in the server's replication node, on the one executor
 * that also runs its sequencer client and delivery engine — the same wiring production, the in-JVM tests and the
 * benchmarks use; the node connects to this bean's channel.
 *
 * <p>Configuration (MicroProfile Config): {@code replication.members} (comma-separated, the same order on every
 * server), {@code replication.node} (this server, one of the members), {@code replication.cluster} (JGroups cluster
 * name, default {@code totalorder}), {@code replication.jgroups.stack} (the JGroups stack file, on the file system
 * or the class path; it must end with FORK), and the sequencer's settings {@code replication.sequencer.*}.
 *
 * <p>Bean-managed concurrency: set up once at start; its getters are thread-safe.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SequencerBean {

    private static final System.Logger LOG = System.getLogger(SequencerBean.class.getName());

    private volatile SequencerConfig config;
    private volatile GroupChannel channel;

    /** The sequencer's configuration read from MicroProfile Config; fails with a message naming the key. */
    public static SequencerConfig configFrom(Config c) {
        List<String> members = Arrays.stream(c.getValue("replication.members", String.class).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        String node = c.getValue("replication.node", String.class).trim();
        SequencerConfig d = SequencerConfig.of(members, node);
        return new SequencerConfig(members, node,
                c.getOptionalValue("replication.sequencer.tick-ms", Long.class).orElse(d.tickMillis()),
                c.getOptionalValue("replication.sequencer.read-timeout-ms", Long.class).orElse(d.readTimeoutMillis()),
                c.getOptionalValue("replication.sequencer.write-timeout-ms", Long.class).orElse(d.writeTimeoutMillis()),
                c.getOptionalValue("replication.sequencer.retransmit-ms", Long.class).orElse(d.retransmitMillis()),
                c.getOptionalValue("replication.sequencer.heartbeat-ms", Long.class).orElse(d.heartbeatMillis()),
                c.getOptionalValue("replication.sequencer.max-entries-per-message", Integer.class)
                        .orElse(d.maxEntriesPerMessage()),
                c.getOptionalValue("replication.sequencer.max-rounds-in-flight", Integer.class)
                        .orElse(d.maxInFlightRounds()),
                c.getOptionalValue("replication.sequencer.max-bytes-per-message", Long.class)
                        .orElse(d.maxBytesPerMessage()),
                c.getOptionalValue("replication.sequencer.max-follower-lag", Long.class).orElse(d.maxFollowerLag()));
    }

    /** {@code replication.enabled} (default true): false runs a single server without any sequencer. */
    public static boolean enabled(Config c) {
        return c.getOptionalValue("replication.enabled", Boolean.class).orElse(true);
    }

    @PostConstruct
    void start() {
        Config c = ConfigProvider.getConfig();
        if (!enabled(c)) {
            LOG.log(System.Logger.Level.INFO, "replication.enabled=false: this server joins no sequencer group");
            return;
        }
        SequencerConfig cfg = configFrom(c);
        GroupChannel ch = new GroupChannel(cfg.members(), cfg.self());
        try {
            ch.start(c.getOptionalValue("replication.cluster", String.class).orElse("totalorder"),
                    c.getValue("replication.jgroups.stack", String.class), getClass().getClassLoader());
        } catch (Exception e) {
            ch.close();
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();          // e.g. a missing keystore, under "Unable to start JGroups Channel"
            }
            throw new IllegalStateException("sequencer member " + cfg.self() + " could not join the cluster: "
                    + e.getMessage() + (root == e ? "" : " (" + root + ")"), e);
        }
        config = cfg;
        channel = ch;
        LOG.log(System.Logger.Level.INFO, "sequencer member " + cfg.self() + " joined; members " + cfg.members());
    }

    @PreDestroy
    void stop() {
        if (channel != null) {
            channel.close();
        }
    }

    /** The sequencer's configuration, or null when replication is disabled. */
    public SequencerConfig config() {
        return config;
    }

    /** This server's channel to the others, or null when replication is disabled. */
    public GroupChannel channel() {
        return channel;
    }
}
