package net.totalorder.bench.ours;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.member.SequenceService;
import net.totalorder.replication.core.FileSnapshotStore;
import net.totalorder.replication.core.InMemorySnapshotStore;
import net.totalorder.replication.core.SnapshotStore;
import net.totalorder.replication.core.NodeSettings;
import net.totalorder.replication.core.ReplicationNode;
import net.totalorder.replication.core.Reply;
import net.totalorder.replication.core.StateMachine;
import net.totalorder.replication.core.ThreadedRuntime;
import net.totalorder.sequencer.core.InMemoryLog;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.storage.FileLog;
import net.totalorder.sequencer.storage.MemberMarker;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.jgroups.GroupChannel;

/**
 * System A, OURS: one server of this repository's replication, wired exactly as a Liberty server wires it — a
 * {@link ReplicationNode} (sequencer replica, client, leader selection, delivery engine, snapshots, compaction) with
 * its threads, in-memory log and snapshots, on the JGroups channel of an embedded Infinispan cache manager
 * ({@link GroupChannel}) — with the default settings. Each operation orders a fresh request id with a 16-byte
 * payload and waits until this member's replica has applied it; the number returned is its seq. The application is
 * a counter of applied calls (what jgroups-raft's CounterService and Infinispan's counter also keep). A read is
 * {@link ReplicationNode#submitRead}: no log entry, a read index confirmed by a majority.
 *
 * <p>Threading: {@link #next} is called by every load thread; the node is thread-safe.
 */
final class OursService implements SequenceService {

    private static final String STACK = "jgroups-loopback-fork.xml";
    private static final byte[] PAYLOAD = new byte[16];
    /** A number not known by then is given up and counted as an error. */
    private static final long OPERATION_TIMEOUT_MILLIS = 10_000;

    private final MemberOptions options;
    private final AtomicLong requests = new AtomicLong();
    private final GroupChannel channel;
    private final ReplicationNode node;
    private final Counter counter = new Counter();

    OursService(MemberOptions options) {
        this.options = options;
        List<String> members = options.members();
        channel = new GroupChannel(members, options.self());
        LogStorage log;
        SnapshotStore snapshots;
        if (options.storage() == null) {
            log = new InMemoryLog();
            snapshots = new InMemorySnapshotStore();
        } else {
            // durable mode as on a server with replication.storage.dir set and fsync on: a fresh, provisioned member
            MemberMarker.provision(options.storage(), options.self());
            log = new FileLog(options.storage(), options.self(), true, 64L << 20);
            snapshots = new FileSnapshotStore(options.storage().resolve("snapshots"), true);
        }
        node = new ReplicationNode(NodeSettings.defaults(members, options.self()),
                SequencerConfig.of(members, options.self()), new ThreadedRuntime(options.self()), channel,
                counter, log, snapshots);
    }

    @Override
    public void start() throws Exception {
        channel.start(options.cluster(), STACK, getClass().getClassLoader());
        channel.connect(node::receive, node::viewChanged, node::dropped);
        node.start(new SecureRandom().nextLong());
    }

    @Override
    public int membersSeen() {
        return channel.reachableMembers().size();
    }

    @Override
    public long next() throws Exception {
        String reqId = options.self() + "-" + requests.incrementAndGet();
        CompletableFuture<Reply> reply = node.submit(reqId, PAYLOAD);
        try {
            return reply.get(OPERATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).seq();
        } catch (TimeoutException e) {
            node.abandon(reqId, reply);
            throw e;
        }
    }

    /**
     * A linearizable read without a log entry ({@link ReplicationNode#submitRead}, the default for read-only
     * methods): the counter's value once this member applied the primary's read index.
     */
    @Override
    public long read() throws Exception {
        CompletableFuture<Long> value = node.submitRead(() -> counter.applied);
        try {
            return value.get(OPERATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            value.cancel(false);
            throw e;
        }
    }

    /** The replicated application: counts the calls it applied. Apply thread only. */
    private static final class Counter implements StateMachine {
        private long applied;

        @Override
        public Reply apply(TentativeAssignment ta) {
            applied++;
            return Reply.returned(ta.seq(), ta.reqId(), "", Long.toString(applied), false);
        }

        @Override
        public Capture capture() {
            long value = applied;
            return out -> out.write(Long.toString(value).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        @Override
        public void restore(InputStream state) throws IOException {
            applied = Long.parseLong(new String(state.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII));
        }
    }
}
