package net.totalorder.replication.core;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import net.totalorder.sequencer.core.BatchingTransport;
import net.totalorder.sequencer.core.LeaderOracle;
import net.totalorder.sequencer.core.SequencerClient;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.SerialExecutor;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.core.Transport;

/**
 * One server's part of the replication: the sequencer client its callers order through, the delivery engine that
 * applies ordered invocations to its replica, and — when this server is a sequencer member — its sequencer replica,
 * whose definitive assignments feed the delivery engine directly. All protocol objects run on one
 * {@link SerialExecutor} and send through one {@link BatchingTransport}; callers block in {@link #call} on their
 * own threads.
 *
 * <p>Gap filling: when a seq is known to exist but has not arrived within {@code gapTimeoutMillis}, the node asks
 * the sequencer members, in turn, for the definitive assignments from the first missing seq on.
 *
 * <p>Thread-safe: {@link #receive}, {@link #leadershipChanged}, {@link #call} and {@link #readLocally} from any
 * thread.
 */
public final class ReplicationNode implements AutoCloseable {

    /**
     * @param members            the sequencer members, in the same order on every server
     * @param self               this server's name
     * @param callTimeoutMillis  a call without its reply by then fails (HTTP 503); it may still be applied later
     * @param getSeqTimeoutMillis per-replica timeout of the sequencer client before it tries the next one
     * @param retryBackoffMillis pause of the sequencer client after a NotPrimary without a leader hint
     * @param gapTimeoutMillis   a missing seq is fetched from other replicas after this long
     * @param fetchBatch         assignments asked for in one fetch
     * @param replyRetention     replies kept, in seqs; must outlast the clients' retry window
     */
    public record Settings(List<String> members, String self, long callTimeoutMillis, long getSeqTimeoutMillis,
                           long retryBackoffMillis, long gapTimeoutMillis, int fetchBatch, int replyRetention) {
        public Settings {
            members = List.copyOf(members);
            if (!members.contains(self)) {
                throw new IllegalArgumentException("this node '" + self + "' is not one of the members " + members);
            }
        }
    }

    private final Settings settings;
    private final SerialExecutor executor;
    private final Transport transport;
    private final SequencerClient client;
    private final DeliveryEngine engine;
    private volatile SequencerReplica replica;
    private int fetchTarget;

    public ReplicationNode(Settings settings, Transport transport, Applier applier) {
        this.settings = settings;
        this.executor = new SerialExecutor(settings.self());
        this.transport = new BatchingTransport(transport, executor);
        this.client = new SequencerClient(settings.members(), this.transport, executor,
                settings.getSeqTimeoutMillis(), settings.retryBackoffMillis());
        this.engine = new DeliveryEngine(settings.self(), applier, settings.replyRetention());
        this.fetchTarget = settings.members().indexOf(settings.self());
    }

    /**
     * Hosts this server's sequencer replica on the node's own executor (where no container hosts it, as in the
     * in-JVM tests); its definitive assignments go straight to the delivery engine.
     */
    public void hostSequencerReplica(SequencerConfig config, LeaderOracle oracle, long incarnation) {
        executor.execute(() -> {
            SequencerReplica r = new SequencerReplica(config, transport, executor, oracle,
                    ta -> engine.onDefinitive(ta, executor.nowMillis()));
            r.start(incarnation);
            replica = r;
        });
    }

    /** A definitive assignment learned by this server's sequencer replica hosted elsewhere (the EJB). */
    public void deliverDefinitive(TentativeAssignment assignment) {
        executor.execute(() -> engine.onDefinitive(assignment, executor.nowMillis()));
    }

    /** Starts the gap-filling timer. */
    public void start() {
        executor.schedule(settings.gapTimeoutMillis(), this::checkGaps);
    }

    /** A message for this node, from any thread. */
    public void receive(String from, SequencerMessage message) {
        executor.execute(() -> dispatch(from, message));
    }

    /** The leader oracle's answer may have changed. */
    public void leadershipChanged() {
        executor.execute(() -> {
            if (replica != null) {
                replica.onLeadershipChange();
            }
        });
    }

    /**
     * Orders {@code payload} under {@code requestId}, waits until the local replica applied it, and returns its
     * reply. A request already applied here returns its reply at once.
     *
     * @throws TimeoutException when no reply came within the call timeout; the request may still be ordered later
     */
    public Reply call(String requestId, byte[] payload) throws TimeoutException, InterruptedException {
        Reply cached = engine.replies().get(requestId);
        if (cached != null) {
            return cached;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.callTimeoutMillis());
        CompletableFuture<Long> ordered = new CompletableFuture<>();
        executor.execute(() -> client.getSeq(requestId, payload, seq -> {
            engine.noteExists(seq);
            ordered.complete(seq);
        }));
        long seq;
        try {
            seq = await(ordered, deadline);
        } catch (TimeoutException e) {
            executor.execute(() -> client.cancel(requestId));
            throw new TimeoutException("no majority of the sequencer answered " + requestId + " within "
                    + settings.callTimeoutMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());   // never completed exceptionally
        }
        try {
            await(engine.awaitApplied(seq), deadline);
        } catch (TimeoutException e) {
            throw new TimeoutException(requestId + " was ordered at seq " + seq + " but this replica has applied only"
                    + " up to " + engine.appliedSeq() + " after " + settings.callTimeoutMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        Reply reply = engine.replies().get(requestId);
        if (reply == null) {
            throw new IllegalStateException("the reply of " + requestId + " (seq " + seq
                    + ") is no longer retained; raise the reply retention above the clients' retry window");
        }
        return reply;
    }

    /** Runs {@code read} on the local replica between two ordered invocations (reads served locally). */
    public <T> T readLocally(Callable<T> read) throws Exception {
        try {
            return await(engine.runBetweenInvocations(read),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.callTimeoutMillis()));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    public long appliedSeq() {
        return engine.appliedSeq();
    }

    /** The reply this replica recorded for {@code requestId}, or null. */
    public Reply reply(String requestId) {
        return engine.replies().get(requestId);
    }

    /** This server's sequencer replica, or null when it hosts none. Inspect it on the protocol executor only. */
    public SequencerReplica sequencerReplica() {
        return replica;
    }

    /** Runs {@code task} on the protocol executor and waits for its result (status pages, tests). */
    public <T> T onProtocolThread(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    public String name() {
        return settings.self();
    }

    @Override
    public void close() {
        executor.execute(() -> {
            if (replica != null) {
                replica.stop();
            }
        });
        executor.close();
        engine.close();
    }

    private void dispatch(String from, SequencerMessage message) {
        if (message instanceof Seq || message instanceof NotPrimary) {
            client.onMessage(from, message);
        } else if (message instanceof DefinitiveEntries entries) {
            engine.noteExists(entries.definitiveUpTo());
            for (var ta : entries.entries()) {
                engine.onDefinitive(ta, executor.nowMillis());
            }
        } else if (replica != null) {
            replica.onMessage(from, message);
        }
    }

    private void checkGaps() {
        long missing = engine.firstMissing(executor.nowMillis(), settings.gapTimeoutMillis());
        if (missing > 0) {
            fetchTarget = (fetchTarget + 1) % settings.members().size();
            String target = settings.members().get(fetchTarget);
            if (target.equals(settings.self())) {
                fetchTarget = (fetchTarget + 1) % settings.members().size();
                target = settings.members().get(fetchTarget);
            }
            transport.send(target, new FetchDefinitive(missing, settings.fetchBatch()));
        }
        executor.schedule(Math.max(1, settings.gapTimeoutMillis() / 2), this::checkGaps);
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos)
            throws TimeoutException, InterruptedException, ExecutionException {
        return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
