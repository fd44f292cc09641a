package net.totalorder.sequencer.ejb;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import net.totalorder.sequencer.core.BatchingTransport;
import net.totalorder.sequencer.core.DefinitiveListener;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.SerialExecutor;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.core.Transport;
import net.totalorder.sequencer.jgroups.GroupChannel;

/**
 * This server's replica of the fault-tolerant sequencer, started with the application: it joins the cluster's
 * JGroups channel ({@link GroupChannel}) and runs a {@link SequencerReplica} on its own serial executor. Together
 * the beans of all servers are one clustered singleton service: at most one primary at a time assigns numbers.
 *
 * <p>Messages for the sequencer's clients on this server (the replication engine) are handed to the handler
 * {@link #attach}ed by the engine, as are the definitive assignments the replica learns, in order and from seq 1.
 *
 * <p>Configuration (MicroProfile Config): {@code replication.members} (comma-separated, the same order on every
 * server), {@code replication.node} (this server, one of the members), {@code replication.cluster} (JGroups cluster
 * name, default {@code totalorder}), {@code replication.jgroups.stack} (the JGroups stack file, on the file system
 * or the class path; it must end with FORK), and the sequencer timeouts {@code replication.sequencer.*-ms}.
 *
 * <p>Bean-managed concurrency: the replica is confined to its executor; the bean's methods are thread-safe.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class SequencerBean {

    private static final System.Logger LOG = System.getLogger(SequencerBean.class.getName());

    private SequencerConfig config;
    private GroupChannel channel;
    private SerialExecutor executor;
    private SequencerReplica replica;
    private volatile BiConsumer<String, SequencerMessage> clientInbound = (from, m) -> { };
    private volatile DefinitiveListener engineListener;

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
                        .orElse(d.maxInFlightRounds()));
    }

    /** {@code replication.enabled} (default true): false runs a single server without any sequencer. */
    public static boolean enabled(Config c) {
        return c.getOptionalValue("replication.enabled", Boolean.class).orElse(true);
    }

    @PostConstruct
    void start() {
        Config c = ConfigProvider.getConfig();
        if (!enabled(c)) {
            LOG.log(System.Logger.Level.INFO, "replication.enabled=false: no sequencer replica on this server");
            return;
        }
        config = configFrom(c);
        executor = new SerialExecutor("sequencer-" + config.self());
        channel = new GroupChannel(config.members(), config.self());
        replica = new SequencerReplica(config, new BatchingTransport(channel, executor), executor, channel, ta -> {
            DefinitiveListener l = engineListener;
            if (l != null) {
                l.onDefinitive(ta);
            }
        });
        try {
            channel.start(c.getOptionalValue("replication.cluster", String.class).orElse("totalorder"),
                    c.getValue("replication.jgroups.stack", String.class),
                    getClass().getClassLoader(), this::route, () -> executor.execute(replica::onLeadershipChange));
        } catch (Exception e) {
            executor.close();
            throw new IllegalStateException("sequencer replica " + config.self() + " could not join the cluster: "
                    + e.getMessage(), e);
        }
        long incarnation = new SecureRandom().nextLong();
        executor.execute(() -> replica.start(incarnation));
        LOG.log(System.Logger.Level.INFO, "sequencer replica " + config.self() + " started; members "
                + config.members());
    }

    @PreDestroy
    void stop() {
        if (replica == null) {
            return;
        }
        executor.execute(replica::stop);
        channel.close();
        executor.close();
    }

    /**
     * Connects this server's replication engine: {@code inbound} gets the messages addressed to the sequencer's
     * clients here, {@code listener} every definitive assignment — first all those already known, from seq 1,
     * then each new one, in order. Call once.
     */
    public void attach(BiConsumer<String, SequencerMessage> inbound, DefinitiveListener listener) {
        clientInbound = inbound;
        executor.execute(() -> {
            long next = 1;
            List<TentativeAssignment> known;
            while (!(known = replica.definitiveFrom(next, 4096)).isEmpty()) {
                known.forEach(listener::onDefinitive);
                next += known.size();
            }
            engineListener = listener;
        });
    }

    /** How to send to the other servers. */
    public Transport transport() {
        return channel;
    }

    public SequencerConfig config() {
        return config;
    }

    /** A snapshot of the replica's state, read on its executor. */
    public Status status() {
        if (replica == null) {
            return new Status("DISABLED", 0, 0, true, null, List.of());
        }
        CompletableFuture<Status> f = new CompletableFuture<>();
        executor.execute(() -> f.complete(new Status(replica.role().name(), replica.epoch(),
                replica.definitiveUpTo(), replica.recovered(), channel.leader(), channel.reachableMembers())));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new Status("UNKNOWN", 0, 0, false, channel.leader(), channel.reachableMembers());
        }
    }

    /** What {@link #status()} reports. */
    public record Status(String role, long epoch, long definitiveUpTo, boolean recovered, String leader,
                         List<String> reachable) {
    }

    private void route(String from, SequencerMessage message) {
        if (message instanceof Seq || message instanceof NotPrimary || message instanceof DefinitiveEntries) {
            clientInbound.accept(from, message);
        } else {
            executor.execute(() -> replica.onMessage(from, message));
        }
    }
}
