package net.totalorder.bench.ours;

import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import net.totalorder.bench.member.MemberOptions;
import net.totalorder.bench.member.SequenceService;
import net.totalorder.sequencer.core.BatchingTransport;
import net.totalorder.sequencer.core.DefinitiveListener;
import net.totalorder.sequencer.core.SequencerClient;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.SerialExecutor;
import net.totalorder.sequencer.jgroups.GroupChannel;

/**
 * System A, OURS: one replica of the fault-tolerant sequencer of this repository (sequencer-ejb) and one sequencer
 * client, hosted as a server hosts them there: the replica on its own serial executor (as in SequencerBean), the
 * client on another (as in the replication engine's ReplicationNode, with its default timeouts), both on the
 * JGroups channel of an embedded Infinispan cache manager ({@link GroupChannel}). Each operation is one
 * {@code getSeq} of a fresh request id with a 16-byte payload; the replica's definitive assignments go nowhere.
 *
 * <p>Threading: the replica is called only on the replica executor, the client only on the client executor;
 * {@link #next} hands its request to the client executor and blocks the calling load thread on a future.
 */
final class OursService implements SequenceService {

    private static final String STACK = "jgroups-loopback-fork.xml";
    private static final byte[] PAYLOAD = new byte[16];
    /** The replication engine's default per-replica timeout and NotPrimary back-off (GroupClusterBinding). */
    private static final long GETSEQ_TIMEOUT_MILLIS = 300;
    private static final long RETRY_BACKOFF_MILLIS = 10;
    /** A number not known by then is given up (the client keeps no state of it) and counted as an error. */
    private static final long OPERATION_TIMEOUT_MILLIS = 10_000;

    private final MemberOptions options;
    private final AtomicLong requests = new AtomicLong();
    private final SerialExecutor replicaExecutor;
    private final SerialExecutor clientExecutor;
    private final GroupChannel channel;
    private final SequencerReplica replica;
    private final SequencerClient client;

    OursService(MemberOptions options) {
        this.options = options;
        replicaExecutor = new SerialExecutor("replica-" + options.self());
        clientExecutor = new SerialExecutor("client-" + options.self());
        channel = new GroupChannel(options.members(), options.self());
        replica = new SequencerReplica(SequencerConfig.of(options.members(), options.self()),
                new BatchingTransport(channel, replicaExecutor), replicaExecutor, channel, DefinitiveListener.NONE);
        client = new SequencerClient(options.members(), new BatchingTransport(channel, clientExecutor),
                clientExecutor, GETSEQ_TIMEOUT_MILLIS, RETRY_BACKOFF_MILLIS);
    }

    @Override
    public void start() throws Exception {
        channel.start(options.cluster(), STACK, getClass().getClassLoader(), this::route,
                () -> replicaExecutor.execute(replica::onLeadershipChange));
        long incarnation = new SecureRandom().nextLong();
        replicaExecutor.execute(() -> replica.start(incarnation));
    }

    @Override
    public int membersSeen() {
        return channel.reachableMembers().size();
    }

    @Override
    public long next() throws Exception {
        String reqId = options.self() + "-" + requests.incrementAndGet();
        CompletableFuture<Long> seq = new CompletableFuture<>();
        clientExecutor.execute(() -> client.getSeq(reqId, PAYLOAD, seq::complete));
        try {
            return seq.get(OPERATION_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            clientExecutor.execute(() -> client.cancel(reqId));
            throw e;
        }
    }

    /** As SequencerBean.route: answers to clients go to the client, everything else to the replica. */
    private void route(String from, SequencerMessage message) {
        if (message instanceof Seq || message instanceof NotPrimary) {
            clientExecutor.execute(() -> client.onMessage(from, message));
        } else {
            replicaExecutor.execute(() -> replica.onMessage(from, message));
        }
    }
}
