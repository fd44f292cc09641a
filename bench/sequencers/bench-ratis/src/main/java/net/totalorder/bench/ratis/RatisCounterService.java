package net.totalorder.bench.ratis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.member.SequenceService;

/**
 * System D: one member of an Apache Ratis group (its default gRPC transport, each member on 127.0.0.1 at its
 * port) whose state machine is a {@link CounterStateMachine}, and a Ratis client that this member's load threads
 * share through its asynchronous API (how Ratis' own load generators drive it: one gRPC stream per server, where
 * each blocking call opens a stream of its own; up to 1,000 requests outstanding). Each operation is one increment
 * through the Raft log, sent to the leader; a read is a read-only query with
 * Ratis' {@code LINEARIZABLE} read option (ReadIndex: the leader confirms its leadership with a majority, no lease
 * — the same clock assumption as ours), asked of this member's own server, which serves it once it has applied the
 * leader's commit index — as our read path does.
 *
 * <p>Memory mode keeps the Raft log in memory ({@code raft.server.log.use.memory}); durable mode keeps Ratis'
 * segmented log files and forces each flush to disk before the entries count as written (Ratis' default,
 * {@code unsafe-flush} off, stated here), one flush covering every entry queued meanwhile. Either way Ratis needs
 * a directory for its metadata (term and vote) and snapshots: in memory mode one beside the numbers file. Ratis'
 * extra log entry per commit-index move (log metadata) is off; the leader takes up to 40,960 pending writes.
 * Neither these settings nor the blocking API gave more than 1,000–1,600 operations per second from 16 or 64
 * threads on the 2-core machine where this was measured (the top-level README says what was tried).
 *
 * <p>Threading: {@link #next} and {@link #read} may be called by many threads at once (the Ratis client is
 * thread-safe); {@link #membersSeen} by the main thread.
 */
final class RatisCounterService implements SequenceService {

    /** Log entries between snapshots, after which the log before the snapshot is purged. */
    private static final long SNAPSHOT_EVERY = 100_000;

    private final MemberOptions options;
    private RaftServer server;
    private RaftGroup group;
    private RaftClient client;
    private RaftPeerId self;

    RatisCounterService(MemberOptions options) {
        this.options = options;
    }

    @Override
    public void start() throws IOException {
        List<RaftPeer> peers = IntStream.range(0, options.ports().size())
                .mapToObj(i -> RaftPeer.newBuilder().setId(options.members().get(i))
                        .setAddress("127.0.0.1:" + options.ports().get(i)).build())
                .toList();
        RaftGroupId groupId = RaftGroupId.valueOf(
                UUID.nameUUIDFromBytes(options.cluster().getBytes(StandardCharsets.UTF_8)));
        group = RaftGroup.valueOf(groupId, peers);
        self = RaftPeerId.valueOf(options.self());

        RaftProperties properties = new RaftProperties();
        Path directory = options.storage() != null ? options.storage()
                : options.numbersFile().resolveSibling(options.self() + "-ratis-metadata");
        Files.createDirectories(directory);
        RaftServerConfigKeys.setStorageDir(properties, List.of(directory.toFile()));
        GrpcConfigKeys.Server.setPort(properties, options.port());
        RaftServerConfigKeys.Read.setOption(properties, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Log.setUseMemory(properties, options.storage() == null);
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(properties, false);
        // the appender adds the error-retry policy's first sleep to every wait even without errors: the default's
        // 1 ms would hold each batch; 1 µs rounds to none (later retries keep the default's 1 s and 5 s)
        RaftServerConfigKeys.Log.Appender.setRetryPolicy(properties, "1us,10, 1s,20, 5s,1000");
        // each move of the commit index would otherwise append and replicate one more (metadata) entry
        RaftServerConfigKeys.Log.setLogMetadataEnabled(properties, false);
        RaftServerConfigKeys.Write.setElementLimit(properties, 40_960);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(properties, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(properties, SNAPSHOT_EVERY);

        server = RaftServer.newBuilder().setGroup(group).setProperties(properties)
                .setServerId(self).setStateMachine(new CounterStateMachine()).build();
        server.start();
        RaftProperties clientProperties = new RaftProperties();
        RaftClientConfigKeys.Async.setOutstandingRequestsMax(clientProperties, 1_000);
        client = RaftClient.newBuilder().setProperties(clientProperties).setRaftGroup(group).build();
    }

    /**
     * Every member once this member's server knows a leader (Ratis has no view of who is up); a member not yet up
     * shows when its first number cannot be obtained, for which MemberMain waits.
     */
    @Override
    public int membersSeen() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().getLeaderId() != null ? group.getPeers().size() : 1;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public long next() throws Exception {
        return value(client.async().send(CounterStateMachine.INCREMENT).get());
    }

    @Override
    public long read() throws Exception {
        return value(client.async().sendReadOnlyUnordered(CounterStateMachine.GET, self).get());
    }

    private static long value(RaftClientReply reply) throws IOException {
        if (!reply.isSuccess()) {
            throw new IOException("Ratis refused the request: " + reply.getException());
        }
        Message message = reply.getMessage();
        return CounterStateMachine.decode(message);
    }
}
