package net.totalorder.sequencer.jgroups;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.factories.GlobalComponentRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.Transport;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.jgroups.fork.ForkChannel;
import org.jgroups.util.NameCache;

import net.totalorder.sequencer.core.MalformedMessageException;
import net.totalorder.sequencer.core.SequencerCodec;
import net.totalorder.sequencer.core.SequencerMessage;

/**
 * The cluster as the sequencer sees it: the JGroups channel of an embedded Infinispan cache manager, and on it a
 * {@link ForkChannel} carrying our messages as {@link SequencerCodec} frames (one message, or a batch of them for
 * one destination). Members are addressed by their
 * configured names (the JGroups logical names, which Infinispan sets to the node name).
 *
 * <p>Only members of the configured set are heard: a message from any other sender, or bytes that do not decode,
 * are dropped. Each new view is reported as the configured members it holds; the server's leader selection builds
 * on it. A view may be stale or split; the protocol stays safe, because majorities are counted over the configured
 * members, not over the view.
 *
 * <p>Thread-safe: {@link #send} from any thread, and it never blocks (no flow control: see {@link #send(String,
 * byte[])}); the inbound handler runs on JGroups threads, or on the sending thread for a message to this server
 * itself, and must hand off (to a serial executor, which never blocks).
 */
public final class GroupChannel implements net.totalorder.sequencer.core.Transport, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(GroupChannel.class.getName());
    private static final String FORK_STACK = "totalorder";
    private static final String FORK_CHANNEL = "sequencer";

    private final List<String> members;
    private final String self;
    private final Map<String, Address> addresses = new ConcurrentHashMap<>();
    private volatile List<String> reachable = List.of();
    private volatile BiConsumer<String, SequencerMessage> inbound = (from, m) -> { };
    private volatile Consumer<List<String>> viewListener = reachable -> { };
    private volatile BiConsumer<String, String> droppedListener = (from, why) -> { };
    private DefaultCacheManager cacheManager;
    private ForkChannel fork;

    public GroupChannel(List<String> members, String self) {
        this.members = List.copyOf(members);
        this.self = self;
    }

    /**
     * Starts the cache manager and joins the cluster.
     *
     * @param clusterName  JGroups cluster name; servers with another name never meet
     * @param stackFile    JGroups stack file, on the class path or the file system; must end with FORK
     * @param classLoader  the application's class loader
     */
    public void start(String clusterName, String stackFile, ClassLoader classLoader) throws Exception {
        GlobalConfigurationBuilder global = GlobalConfigurationBuilder.defaultClusteredBuilder();
        global.classLoader(classLoader);
        global.cacheManagerName("totalorder-" + self);
        global.jmx().enabled(false);
        global.transport().clusterName(clusterName).nodeName(self)
                .addProperty(JGroupsTransport.CONFIGURATION_FILE, stackFile);
        cacheManager = new DefaultCacheManager(global.build(), true);
        JChannel main = ((JGroupsTransport) GlobalComponentRegistry.componentOf(cacheManager, Transport.class))
                .getChannel();
        fork = new ForkChannel(main, FORK_STACK, FORK_CHANNEL);
        fork.setReceiver(new Receiver() {
            @Override
            public void receive(Message msg) {
                String from = NameCache.get(msg.getSrc());
                if (from == null || !members.contains(from)) {
                    // only configured members may speak the protocol
                    droppedListener.accept(from == null ? String.valueOf(msg.getSrc()) : from, "not a member");
                    return;
                }
                List<SequencerMessage> messages;
                try {
                    messages = SequencerCodec.decodeAll(msg.getArray());
                } catch (MalformedMessageException e) {
                    droppedListener.accept(from, "malformed: " + e.getMessage());
                    return;
                }
                BiConsumer<String, SequencerMessage> handler = inbound;
                for (SequencerMessage message : messages) {
                    handler.accept(from, message);
                }
            }

            @Override
            public void viewAccepted(View view) {
                onView(view);
            }
        });
        fork.connect(clusterName);
        View view = main.getView();
        if (view != null) {
            onView(view);
        }
    }

    /**
     * Connects the server's node: {@code handler} receives (sender name, message) for every accepted message, on a
     * JGroups thread or the sending thread; {@code views} the configured members of each new view, the current one
     * first; {@code dropped} (sender, why) each message refused (from a non-member, or malformed), to count and log.
     * Messages that arrive before this call are dropped (the protocol retransmits).
     */
    public void connect(BiConsumer<String, SequencerMessage> handler, Consumer<List<String>> views,
                        BiConsumer<String, String> dropped) {
        inbound = handler;
        droppedListener = dropped;
        viewListener = views;
        views.accept(reachable);
    }

    /** To this server itself: handed to the inbound handler at once (the messages are immutable). */
    @Override
    public void send(String to, SequencerMessage message) {
        if (to.equals(self)) {
            inbound.accept(self, message);
        } else {
            send(to, SequencerCodec.encode(message));
        }
    }

    /** One JGroups message for all of {@code messages}; to this server itself, handed over at once. */
    @Override
    public void send(String to, List<SequencerMessage> messages) {
        if (to.equals(self)) {
            messages.forEach(m -> inbound.accept(self, m));
        } else {
            send(to, SequencerCodec.encodeAll(messages));
        }
    }

    private void send(String to, byte[] frame) {
        Address address = addresses.get(to);
        if (address == null) {
            return;                           // not in our view: as lost (the protocol retransmits)
        }
        try {
            // NO_FC: JGroups' flow control (UFC) would block this thread — the node's protocol executor — until the
            // receiver returns credits, so one slow or stopped member (a restarted one busy catching up, a SIGSTOPped
            // one) held up the node's traffic to every other member: seen as 5 s stalls of the whole cluster while a
            // killed primary rejoined. The protocol bounds what it sends (one WriteMaj round in flight, snapshots and
            // fetches pulled a chunk at a time), and the bundler drops rather than blocks when its queue is full
            // (UNICAST3 retransmits), so sending never blocks.
            fork.send(new BytesMessage(address, frame).setFlag(Message.Flag.NO_FC));
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "send to " + to + " failed: " + e);
        }
    }

    /** Configured members in this server's current view. */
    public List<String> reachableMembers() {
        return reachable;
    }

    private void onView(View view) {
        Map<String, Address> fresh = new ConcurrentHashMap<>();
        for (Address a : view.getMembers()) {
            String name = NameCache.get(a);
            if (name != null && members.contains(name)) {
                fresh.put(name, a);
            }
        }
        addresses.keySet().retainAll(fresh.keySet());
        addresses.putAll(fresh);
        reachable = members.stream().filter(fresh::containsKey).toList();
        LOG.log(System.Logger.Level.INFO, self + " sees view " + view + "; members in it: " + reachable);
        viewListener.accept(reachable);
    }

    @Override
    public void close() {
        if (fork != null) {
            fork.close();
        }
        if (cacheManager != null) {
            try {
                cacheManager.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping the cache manager failed", e);
            }
        }
    }
}
