package net.totalorder.replication.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import net.totalorder.sequencer.core.BatchingTransport;
import net.totalorder.sequencer.core.DefinitiveListener;
import net.totalorder.sequencer.core.LeaderSelection;
import net.totalorder.sequencer.core.LogStorage;
import net.totalorder.sequencer.core.Scheduler;
import net.totalorder.sequencer.core.SequencerClient;
import net.totalorder.sequencer.core.SequencerConfig;
import net.totalorder.sequencer.core.SequencerMessage;
import net.totalorder.sequencer.core.SequencerMessage.Beacon;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.FetchSnapshot;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.ReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.SnapshotChunk;
import net.totalorder.sequencer.core.SequencerReplica;
import net.totalorder.sequencer.core.TentativeAssignment;
import net.totalorder.sequencer.core.Transport;

/**
 * One server's part of the replication, wired once — production, the in-JVM tests, the simulation and the
 * sequencer benchmark all build this class: the server's {@link SequencerReplica} (every server is a member), the
 * {@link SequencerClient} its callers order through, the {@link LeaderSelection} that is the replica's leader
 * oracle, and the {@link DeliveryEngine} that applies what became definitive to the server's {@link StateMachine}.
 * Protocol objects run on the runtime's protocol executor and send through one {@link BatchingTransport}; the
 * engine runs on the apply executor; snapshots are written on the background executor.
 *
 * <h2>Delivery and catch-up</h2>
 * Definitive assignments go to the apply thread in order, at most {@code maxApplyBacklog} seqs ahead of it; the
 * rest waits in the local replica's log and is pulled as the apply thread catches up. A seq known to be definitive
 * elsewhere (beacons, answers) that the local replica does not deliver within {@code gapTimeoutMillis} is fetched
 * from another member. When what is needed was compacted — the local replica took a compacted base, or a member
 * answers that it compacted past the seq asked for — the node installs a snapshot covering it, pulled in chunks of
 * at most {@code snapshotChunkBytes} from one member, then goes on from the log.
 *
 * <h2>Snapshots and compaction</h2>
 * Every {@code snapshotInterval} applied seqs — later while the log applied since the previous snapshot is under
 * 1/{@code snapshotWriteFactor} of that snapshot's size, so that snapshots cost in proportion to the calls
 * ({@link #afterApply}) — or when the log holds {@code snapshotLogBytes}, the apply thread freezes the state machine
 * and the reply cache between two invocations; the background thread writes them out and stores them; then the local
 * replica may compact its log up to that seq.
 *
 * <h2>Linearizable reads</h2>
 * {@link #read} runs a read-only call without ordering it: the node asks the sequencer's primary for a read index
 * (which the primary gives only after a majority confirmed it still leads), waits until this server's replica has
 * applied that seq, then runs the read on the apply thread, between two ordered invocations — there because the
 * application's state is written for one thread, and there it sees the state after one seq, never half a call.
 * Reads that come while a read index request is out share the next one, so one request per server is out at a time
 * whatever the number of readers. Reads take no log entry, no seq and no reply cache entry.
 *
 * <h2>Fail-stop</h2>
 * A protocol task or an apply that throws stops the node: no executor runs anything more, every waiting call fails
 * with {@link ReplicaFailedException}, {@link #status()} reports why, and no call is served again.
 *
 * <p>Thread-safe: {@link #receive}, {@link #viewChanged}, {@link #submit}, {@link #call}, {@link #submitRead},
 * {@link #read} and {@link #readLocally} from any thread.
 */
public final class ReplicationNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ReplicationNode.class.getName());

    private final NodeSettings settings;
    private final NodeRuntime runtime;
    private final Scheduler clock;
    private final BatchingTransport transport;
    private final LogStorage log;
    private final SequencerClient client;
    private final SequencerReplica replica;
    private final LeaderSelection selection;
    private final DeliveryEngine engine;
    private final NodeObserver observer;
    /** How many primaries taking over the status keeps (newest first). */
    public static final int LEADER_CHANGES_KEPT = 10;
    /** The primaries seen taking over, newest first. Protocol executor. */
    private final java.util.ArrayDeque<SeenPrimary> leaderChanges = new java.util.ArrayDeque<>();

    /** A primary seen taking over {@code at} (the node's clock). */
    private record SeenPrimary(String primary, long epoch, long at) {
    }
    private final SnapshotStore snapshots;
    private final List<String> others;
    private final ConcurrentHashMap<String, List<CompletableFuture<Reply>>> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger pendingCalls = new AtomicInteger();
    /**
     * Batches of reads handed to the apply thread and not run yet (waiting for their read index to be applied); no
     * more read indexes are asked for while {@code maxApplyBacklog} wait, so that a stalled apply thread does not
     * collect them without bound.
     */
    private final AtomicInteger readBatchesQueued = new AtomicInteger();
    /** Reads not answered yet, so that a fail-stop fails them. */
    private final java.util.Set<CompletableFuture<?>> pendingReads = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean snapshotting = new AtomicBoolean();
    private volatile boolean snapshotWanted;
    private volatile Throwable failure;
    private volatile NodeStatus status;
    private volatile long lastCaptureSeq;
    /** Size of the last snapshot this node wrote (0 before the first): about what the next one will cost. */
    private volatile long lastSnapshotBytes;
    private volatile long snapshotsTaken;
    private long incarnation;
    /** Apply thread only: bytes of the assignments applied since the last capture (as {@code heldBytes} counts). */
    private long loggedSinceCapture;

    // --- protocol executor only ---
    /** Seqs up to here were handed to the apply thread (or are queued to be). */
    private long releasedUpTo;
    /** Seqs up to here are known to be definitive somewhere. */
    private long knownUpTo;
    /** A snapshot covering at least this seq must be installed before anything above it is applied. */
    private long needSnapshot;
    private String snapshotSource;
    private SnapshotInstall install;
    private final List<TentativeAssignment> toRelease = new ArrayList<>();
    private boolean releaseQueued;
    private volatile boolean waitingForBacklog;
    private long lastProgressAt;
    private long lastFetchAt;
    /** Reads waiting for the next read index request; the read index request out now (null: none) and its reads. */
    private final List<PendingRead<?>> readsWaiting = new ArrayList<>();
    private String readIndexOut;
    private List<PendingRead<?>> readsOut = List.of();
    private long readCount;
    private int fetchTarget;
    private long snapshotSeq;
    private long snapshotsInstalled;
    private static final long STUCK_REPORT_MILLIS = 30_000;
    private static final long DROP_REPORT_MILLIS = 10_000;
    /** Messages refused since start; see {@link #drop}. */
    private long droppedMessages;
    private long lastDropReportAt;
    private long notReadySince = -1;
    private long lastStuckReportAt;
    /** When this node last knew of a primary (itself, or a live member's beacon). */
    private long lastPrimarySeenAt = -1;
    /** Where the log lives and what was found there at start, for operators. */
    private final String storage;
    /** Members in a row that had no snapshot to give. */
    private int snapshotRefusals;
    /**
     * The snapshot each member is pulling from this server, kept (and the log after it) until that member stopped
     * asking for {@link NodeSettings#installTimeoutMillis()}: one per member at most.
     */
    private final java.util.Map<String, Serving> servingTo = new java.util.HashMap<>();

    /** A snapshot a member pulls from this server, and when it last asked. */
    private record Serving(SnapshotStore.Stored snapshot, long askedAt) {
    }

    public ReplicationNode(NodeSettings settings, SequencerConfig sequencer, NodeRuntime runtime, Transport network,
                           StateMachine stateMachine, LogStorage log, SnapshotStore snapshots) {
        this(settings, sequencer, runtime, network, stateMachine, log, snapshots, NodeObserver.NONE);
    }

    /** As above, reporting what the node does to {@code observer} (metrics). */
    public ReplicationNode(NodeSettings settings, SequencerConfig sequencer, NodeRuntime runtime, Transport network,
                           StateMachine stateMachine, LogStorage log, SnapshotStore snapshots, NodeObserver observer) {
        if (!sequencer.members().equals(settings.members()) || !sequencer.self().equals(settings.self())) {
            throw new IllegalArgumentException("the sequencer's members and name (" + sequencer.members() + ", "
                    + sequencer.self() + ") differ from the node's (" + settings.members() + ", " + settings.self()
                    + ")");
        }
        this.settings = settings;
        this.runtime = runtime;
        this.clock = runtime.scheduler();
        this.transport = new BatchingTransport(network, runtime.protocol());
        this.log = log;
        this.storage = log.durable() ? "disk-" + log.origin().name().toLowerCase(java.util.Locale.ROOT) : "memory";
        this.snapshots = snapshots;
        this.others = settings.members().stream().filter(m -> !m.equals(settings.self())).toList();
        this.client = new SequencerClient(settings.members(), transport, clock,
                settings.getSeqTimeoutMillis(), settings.retryBackoffMillis());
        this.observer = java.util.Objects.requireNonNull(observer, "observer");
        this.engine = new DeliveryEngine(stateMachine,
                new ReplyCache(settings.replyRetention(), settings.requestIdRetention()), waiting, observer);
        SequencerReplica[] own = new SequencerReplica[1];
        this.selection = new LeaderSelection(settings.members(), settings.self(), settings.suspectAfterMillis(), clock,
                new LeaderSelection.Self() {
                    @Override
                    public SequencerReplica.Role role() {
                        return own[0].role();
                    }

                    @Override
                    public long epoch() {
                        return own[0].epoch();
                    }

                    @Override
                    public boolean eligible() {
                        return ReplicationNode.this.eligible();
                    }
                });
        this.replica = new SequencerReplica(sequencer, transport, clock, selection, new DefinitiveListener() {
            @Override
            public void onDefinitive(TentativeAssignment assignment) {
                delivered(assignment);
            }

            @Override
            public void onSkipped(long upToSeq) {
                skipped(upToSeq);
            }

            @Override
            public void onSnapshotNeeded(long seq, String from) {
                snapshotNeeded(seq, from);
            }
        }, log);
        own[0] = replica;
        replica.observe(observer);
        log.observe(observer);
        // durable mode: what this run wrote reaches the disk (one fsync for all of it) before any answer leaves
        transport.syncPoint(() -> {
            log.sync();
            replica.onLogSynced();
        });
        this.fetchTarget = settings.members().indexOf(settings.self());
        runtime.onProtocolFailure(this::fail);
        this.status = buildStatus();
    }

    /**
     * Starts the node: restores the latest snapshot this server stored (durable mode), then starts the sequencer
     * replica (from its log on disk, or by recovering), the beacons and the catch-up timer.
     */
    public void start(long incarnation) {
        SnapshotFormat.Decoded local = readLocalSnapshot();
        protocol(() -> {
            this.incarnation = incarnation;
            if (local != null) {
                releasedUpTo = local.seq();
                knownUpTo = local.seq();
                snapshotSeq = local.seq();
                lastCaptureSeq = local.seq();
                applyTask(() -> restoreLocal(local));
                replica.snapshotCovers(local.seq());
            }
            replica.start(incarnation);
            if (replica.baseSeq() > releasedUpTo) {
                // the log was compacted past the local snapshot (it took a primary's base): a newer one is needed
                needSnapshot = replica.baseSeq();
            }
            beacon();
            checkProgress();
        });
    }

    /** The latest snapshot this server stored that reads (or the one before), or null. */
    private SnapshotFormat.Decoded readLocalSnapshot() {
        for (SnapshotStore.Stored s : java.util.Arrays.asList(snapshots.latest(), snapshots.previous())) {
            if (s == null) {
                continue;
            }
            try {
                ChunkedBytes bytes = new ChunkedBytes();
                java.io.OutputStream out = bytes.output();
                for (long at = 0; at < s.size(); at += ChunkedBytes.BLOCK) {
                    out.write(s.read(at, ChunkedBytes.BLOCK));
                }
                return SnapshotFormat.read(bytes.seal());
            } catch (SnapshotFormat.CorruptSnapshotException | java.io.IOException
                     | java.io.UncheckedIOException e) {
                LOG.log(System.Logger.Level.WARNING, settings.self() + ": the stored snapshot at seq " + s.seq()
                        + " cannot be used (" + e.getMessage() + "); trying an older one");
            }
        }
        return null;
    }

    private void restoreLocal(SnapshotFormat.Decoded snapshot) {
        try {
            engine.restore(snapshot);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the stored snapshot at seq " + snapshot.seq()
                    + " could not be restored", e);
        }
        LOG.log(System.Logger.Level.INFO, settings.self() + ": restored its stored snapshot at seq "
                + snapshot.seq());
    }

    /** A message for this node, from any thread. */
    public void receive(String from, SequencerMessage message) {
        protocol(() -> dispatch(from, message));
    }

    /** The configured members now in this server's group view. */
    public void viewChanged(List<String> reachable) {
        List<String> members = List.copyOf(reachable);
        protocol(() -> {
            selection.onView(members);
            replica.onLeadershipChange();
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // Calls

    /**
     * Orders {@code payload} under {@code requestId} and completes with its reply once this server's replica
     * applied it (or with the kept reply at once, for a request applied before). Completes exceptionally with
     * {@link ReplicaFailedException} if the replica stops, or with {@link CallRefusedException} when too many calls
     * wait already. Never completes by itself otherwise: the caller decides how long to wait ({@link #abandon}).
     *
     * @throws IllegalArgumentException before anything is sent, for a null, empty or oversized id or payload
     */
    public CompletableFuture<Reply> submit(String requestId, byte[] payload) {
        TentativeAssignment.validateRequest(requestId, payload);
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(stopped(failed));
        }
        observer.callMade();
        Reply kept = engine.replies().get(requestId);
        if (kept != null) {
            observer.answeredFromReplyCache();
            return CompletableFuture.completedFuture(kept);
        }
        if (pendingCalls.incrementAndGet() > settings.maxPendingCalls()) {
            pendingCalls.decrementAndGet();
            return CompletableFuture.failedFuture(new CallRefusedException(settings.maxPendingCalls()
                    + " calls are already waiting on " + settings.self()));
        }
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        reply.whenComplete((r, t) -> pendingCalls.decrementAndGet());
        waiting.compute(requestId, (k, list) -> {
            List<CompletableFuture<Reply>> l = list == null ? new ArrayList<>(1) : list;
            l.add(reply);
            return l;
        });
        byte[] copy = payload.clone();
        protocol(() -> client.getSeq(requestId, copy, seq -> ordered(requestId, seq)));
        if (failure != null) {
            reply.completeExceptionally(stopped(failure));   // failed meanwhile: nothing will answer it
        }
        return reply;
    }

    /** The caller gave up waiting for {@code reply}; the request may still be applied later. */
    public void abandon(String requestId, CompletableFuture<Reply> reply) {
        boolean[] last = new boolean[1];
        waiting.computeIfPresent(requestId, (k, list) -> {
            list.remove(reply);
            last[0] = list.isEmpty();
            return list.isEmpty() ? null : list;
        });
        reply.cancel(false);
        if (last[0]) {
            protocol(() -> client.cancel(requestId));
        }
    }

    /**
     * {@link #submit} and wait up to the call timeout.
     *
     * @throws TimeoutException when no reply came in time; the request may still be applied later
     * @throws ReplicaFailedException when this server's replica stopped
     * @throws CallRefusedException when too many calls wait already
     * @throws InterruptedException when the caller's thread is interrupted; the wait is abandoned, and the request
     *                              may still be applied later
     */
    public Reply call(String requestId, byte[] payload) throws TimeoutException, InterruptedException {
        CompletableFuture<Reply> reply = submit(requestId, payload);
        try {
            return reply.get(settings.callTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abandon(requestId, reply);
            observer.callTimedOut();
            throw new TimeoutException("no reply for " + requestId + " within " + settings.callTimeoutMillis()
                    + " ms (this replica applied up to seq " + engine.appliedSeq() + ")");
        } catch (InterruptedException e) {
            abandon(requestId, reply);     // e.g. MP Fault Tolerance's @Timeout: the waiter must not stay behind
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code read} on the local replica between two ordered invocations (reads served locally). */
    public <T> T readLocally(Callable<T> read) throws Exception {
        return runAndWait(this::applyTask, read, settings.callTimeoutMillis());
    }

    /**
     * Runs {@code read} linearizably (class Javadoc): it completes with what {@code read} returns (or throws) on the
     * apply thread once this replica applied every call acknowledged before this method was called. Completes
     * exceptionally with {@link ReplicaFailedException} if the replica stops, or with {@link CallRefusedException}
     * when too many calls wait already. Never completes by itself otherwise: the caller decides how long to wait.
     */
    public <T> CompletableFuture<T> submitRead(Callable<T> read) {
        java.util.Objects.requireNonNull(read, "read");
        Throwable failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(stopped(failed));
        }
        observer.callMade();                          // a read is a call of a replicated method too
        if (pendingCalls.incrementAndGet() > settings.maxPendingCalls()) {
            pendingCalls.decrementAndGet();
            return CompletableFuture.failedFuture(new CallRefusedException(settings.maxPendingCalls()
                    + " calls are already waiting on " + settings.self()));
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        pendingReads.add(result);
        result.whenComplete((r, t) -> {
            pendingCalls.decrementAndGet();
            pendingReads.remove(result);
        });
        protocol(() -> {
            if (readsWaiting.size() >= settings.maxPendingCalls()) {
                readsWaiting.removeIf(r -> r.result.isDone());   // at most max-pending-calls of them are live
            }
            readsWaiting.add(new PendingRead<>(result, read));
            askReadIndex();
        });
        if (failure != null) {
            result.completeExceptionally(stopped(failure));   // failed meanwhile: nothing will run it
        }
        return result;
    }

    /**
     * {@link #submitRead} and wait up to the call timeout.
     *
     * @throws TimeoutException when the read did not run in time (no primary confirmed its lead, or this replica
     *                          lags); it will not run later
     * @throws ReplicaFailedException when this server's replica stopped
     * @throws CallRefusedException when too many calls wait already
     * @throws Exception what {@code read} threw
     */
    public <T> T read(Callable<T> read) throws Exception {
        CompletableFuture<T> result = submitRead(read);
        try {
            return result.get(settings.callTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(false);
            observer.callTimedOut();
            throw new TimeoutException("no linearizable read within " + settings.callTimeoutMillis()
                    + " ms (this replica applied up to seq " + engine.appliedSeq() + ")");
        } catch (InterruptedException e) {
            result.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    /** Asks for a read index for the reads waiting, unless one is out: they wait for its answer. Protocol executor. */
    private void askReadIndex() {
        if (readIndexOut != null || failure != null || readBatchesQueued.get() >= settings.maxApplyBacklog()) {
            return;                                       // the apply thread runs a batch, then asks again
        }
        readsWaiting.removeIf(r -> r.result.isDone());   // given up on (timed out) while they waited
        if (readsWaiting.isEmpty()) {
            return;
        }
        List<PendingRead<?>> batch = List.copyOf(readsWaiting);
        readsWaiting.clear();
        String readId = "r:" + settings.self() + ":" + Long.toHexString(incarnation) + ":" + (++readCount);
        readIndexOut = readId;
        readsOut = batch;
        client.readIndex(readId, index -> readIndexKnown(index, batch));
    }

    /** The primary gave {@code index}: the batch runs once this replica applied it. Protocol executor. */
    private void readIndexKnown(long index, List<PendingRead<?>> batch) {
        readIndexOut = null;
        readsOut = List.of();
        noteKnown(index);
        pump();
        readBatchesQueued.incrementAndGet();
        applyTask(() -> engine.runWhenApplied(index, () -> {
            for (PendingRead<?> r : batch) {
                r.run();
            }
            if (readBatchesQueued.getAndDecrement() >= settings.maxApplyBacklog()) {
                protocol(this::askReadIndex);             // it had stopped asking: the apply thread was that far behind
            }
        }));
        askReadIndex();
    }

    /** Every read of the request out was given up on: ask for the reads waiting instead. Protocol executor. */
    private void dropAbandonedReadIndex() {
        if (readIndexOut != null && readsOut.stream().allMatch(r -> r.result.isDone())) {
            client.cancelRead(readIndexOut);
            readIndexOut = null;
            readsOut = List.of();
            askReadIndex();
        }
    }

    /** A read and the future its caller waits on. */
    private record PendingRead<T>(CompletableFuture<T> result, Callable<T> read) {
        /** Apply thread. An {@link Error} propagates: the node stops (fail-stop). */
        void run() {
            if (result.isDone()) {
                return;
            }
            try {
                result.complete(read.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        }
    }

    /** Runs {@code task} through {@code executor} and waits up to {@code timeoutMillis} for its result. */
    private <T> T runAndWait(java.util.function.Consumer<Runnable> executor, Callable<T> task, long timeoutMillis)
            throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.accept(() -> {
            try {
                result.complete(task.call());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        Throwable failed = failure;
        if (failed != null) {
            result.completeExceptionally(stopped(failed));   // nothing runs any more
        }
        try {
            return result.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : new IllegalStateException(e.getCause());
        }
    }

    /** The request was ordered at {@code seq}. Protocol executor. */
    private void ordered(String requestId, long seq) {
        noteKnown(seq);
        if (engine.appliedSeq() >= seq && waiting.containsKey(requestId)) {
            // applied before this caller came; the Seq is believed only as far as the local log confirms it
            TentativeAssignment at = seq <= replica.definitiveUpTo() ? replica.assignmentAt(seq) : null;
            boolean confirmed = at != null && at.reqId().equals(requestId);
            applyTask(() -> {
                if (!engine.resolve(requestId, seq, confirmed)) {
                    // not applied here as that request: a mistaken or forged Seq, which must not answer the caller
                    protocol(() -> drop("the sequencer", "a Seq naming seq " + seq + " for " + requestId
                            + ", which was not applied there; the caller waits for its own"));
                }
            });
        }
        pump();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Messages

    /**
     * The channel refused a message from {@code from} (a non-member, or a frame that does not decode): counted and
     * logged here. Any thread.
     */
    public void dropped(String from, String why) {
        protocol(() -> drop(from, why));
    }

    /** Counts a refused message; logs the first and then at most one line per {@value #DROP_REPORT_MILLIS} ms. */
    private void drop(String from, String why) {
        droppedMessages++;
        long now = clock.nowMillis();
        if (droppedMessages == 1 || now - lastDropReportAt >= DROP_REPORT_MILLIS) {
            lastDropReportAt = now;
            LOG.log(System.Logger.Level.WARNING, settings.self() + ": dropped a message from " + from + ": " + why
                    + " (" + droppedMessages + " dropped since start)");
        }
    }

    private void dispatch(String from, SequencerMessage message) {
        if (!settings.members().contains(from)) {
            // every server is a member: nobody else may order, answer a caller or feed the delivery engine
            drop(from, message.getClass().getSimpleName() + " from a non-member");
        } else if (message instanceof Seq || message instanceof NotPrimary || message instanceof ReadIndex) {
            client.onMessage(from, message);
        } else if (message instanceof DefinitiveEntries m) {
            fetched(from, m);
        } else if (message instanceof Beacon m) {
            selection.onBeacon(from, m);
            noteKnown(m.definitiveUpTo());
            replica.onLeadershipChange();
        } else if (message instanceof FetchSnapshot m) {
            serveSnapshot(from, m);
        } else if (message instanceof SnapshotChunk m) {
            chunk(from, m);
        } else {
            replica.onMessage(from, message);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Delivery to the apply thread

    /** The local replica learned {@code ta} is definitive. */
    private void delivered(TentativeAssignment ta) {
        noteKnown(ta.seq());
        if (ta.seq() != releasedUpTo + 1 || !canRelease()) {
            pump();
        } else if (backlog() < settings.maxApplyBacklog()) {
            queueRelease(List.of(ta));
        } else {
            waitingForBacklog = true;             // stays in the log; the apply thread pumps when it has room
        }
    }

    /** The local replica took a compacted base: what lies below it must come from a snapshot. */
    private void skipped(long upTo) {
        noteKnown(upTo);
        if (upTo > releasedUpTo && upTo > needSnapshot) {
            needSnapshot = upTo;
            snapshotSource = selection.leader();
        }
        pump();
    }

    /**
     * The local replica must take a compacted base at {@code seq} and keeps its log until a snapshot stored here
     * covers it: take one now if the application replica is that far, else install one from {@code from}.
     */
    private void snapshotNeeded(long seq, String from) {
        noteKnown(seq);
        if (engine.appliedSeq() >= seq) {
            snapshotWanted = true;
            applyTask(this::afterApply);          // captures at once; stored, the replica may compact
        } else if (seq > needSnapshot) {
            needSnapshot = seq;
            snapshotSource = from;
            pump();
        }
    }

    private void noteKnown(long seq) {
        if (seq > knownUpTo) {
            knownUpTo = seq;
        }
    }

    private boolean canRelease() {
        return install == null && needSnapshot <= releasedUpTo && failure == null;
    }

    private long backlog() {
        return releasedUpTo - engine.appliedSeq();
    }

    /** Hands what the local replica holds next to the apply thread, within the backlog bound. */
    private void pump() {
        if (failure != null) {
            return;
        }
        if (needSnapshot > releasedUpTo && replica.baseSeq() <= releasedUpTo
                && replica.definitiveUpTo() > releasedUpTo && (install == null || !install.decoding())) {
            // another member compacted what comes next, but the local log holds it: no snapshot needed after all
            needSnapshot = 0;
            install = null;
        }
        if (install != null) {
            return;
        }
        if (needSnapshot > releasedUpTo) {
            startInstall();
            return;
        }
        while (releasedUpTo < knownUpTo) {
            long room = settings.maxApplyBacklog() - backlog();
            if (room <= 0) {
                waitingForBacklog = true;         // the apply thread will pump again when it has made room
                return;
            }
            List<TentativeAssignment> next = replica.definitiveFrom(releasedUpTo + 1,
                    (int) Math.min(settings.fetchBatch(), room));
            if (next.isEmpty()) {
                return;
            }
            queueRelease(next);
        }
    }

    /** Queues contiguous assignments from {@code releasedUpTo + 1}; they reach the apply thread in one task. */
    private void queueRelease(List<TentativeAssignment> batch) {
        for (TentativeAssignment ta : batch) {
            if (ta.seq() == releasedUpTo + 1) {
                toRelease.add(ta);
                releasedUpTo = ta.seq();
            }
        }
        lastProgressAt = clock.nowMillis();
        if (!releaseQueued && !toRelease.isEmpty()) {
            releaseQueued = true;
            runtime.protocol().execute(this::flushRelease);   // after the tasks queued meanwhile: one apply task
        }
    }

    private void flushRelease() {
        releaseQueued = false;
        if (toRelease.isEmpty()) {
            return;
        }
        List<TentativeAssignment> batch = List.copyOf(toRelease);
        toRelease.clear();
        long bytes = 0;
        for (TentativeAssignment ta : batch) {
            bytes += ta.size();
        }
        long batchBytes = bytes;
        applyTask(() -> {
            engine.apply(batch);
            loggedSinceCapture += batchBytes;
            afterApply();
        });
    }

    /**
     * Apply thread, after a batch: a snapshot when due; more work when the protocol side waits for room.
     *
     * <p>A snapshot is due every {@code snapshotInterval} applied seqs, once the log applied since the last one holds
     * at least 1/{@code snapshotWriteFactor} of that one's bytes: a snapshot's size follows the state and the
     * retention windows, not the calls, and writing a large one every few thousand small calls would cost more than
     * the calls themselves (a local cluster with full retention windows wrote 39 MB every 10,000 calls — 3.9 KB
     * per call on each server). So snapshots write at most about {@code snapshotWriteFactor} times the bytes the
     * log grew by, and the log stays bounded by {@code snapshotLogBytes}, which forces one whatever its cost.
     */
    private void afterApply() {
        long applied = engine.appliedSeq();
        int factor = settings.snapshotWriteFactor();
        boolean due = applied - lastCaptureSeq >= settings.snapshotInterval()
                && (factor == 0 || loggedSinceCapture * factor >= lastSnapshotBytes);
        if ((due || snapshotWanted) && applied > lastCaptureSeq && snapshotting.compareAndSet(false, true)) {
            snapshotWanted = false;
            loggedSinceCapture = 0;
            long began = clock.nowMillis();
            DeliveryEngine.Frozen frozen = engine.capture();
            lastCaptureSeq = frozen.seq();
            backgroundTask(() -> {
                try {
                    ChunkedBytes bytes = frozen.write();
                    snapshots.save(frozen.seq(), bytes);
                    lastSnapshotBytes = bytes.size();
                    snapshotsTaken++;
                    observer.snapshotTaken(bytes.size(), clock.nowMillis() - began);
                    protocol(() -> snapshotStored(frozen.seq()));
                } catch (java.io.IOException e) {
                    // no snapshot means no compaction: the log would grow without bound; stop rather than limp
                    throw new java.io.UncheckedIOException("the snapshot at seq " + frozen.seq()
                            + " could not be written", e);
                } finally {
                    snapshotting.set(false);
                }
            });
        }
        if (waitingForBacklog && backlog() <= settings.maxApplyBacklog() / 2) {
            waitingForBacklog = false;
            protocol(this::pump);
        }
    }

    private void snapshotStored(long seq) {
        if (seq > snapshotSeq) {
            snapshotSeq = seq;
        }
        replica.snapshotCovers(seq);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Catching up from other members

    /** Timer: pulls from the local log, fetches what it lacks from others, watches a snapshot transfer. */
    private void checkProgress() {
        if (failure != null) {
            return;
        }
        long now = clock.nowMillis();
        expireServing(now);
        dropAbandonedReadIndex();
        pump();
        if (install != null) {
            if (!install.decoding() && now - install.lastProgressAt() >= settings.installTimeoutMillis()) {
                LOG.log(System.Logger.Level.WARNING, settings.self() + ": snapshot transfer from " + install.source
                        + " stalled at byte " + install.offset() + "; asking another member");
                abortInstall();
            }
        } else if (releasedUpTo < knownUpTo && canRelease() && backlog() < settings.maxApplyBacklog()
                && now - lastProgressAt >= settings.gapTimeoutMillis()
                && now - lastFetchAt >= settings.gapTimeoutMillis()) {
            lastFetchAt = now;
            transport.send(nextOther(), new FetchDefinitive(releasedUpTo + 1, settings.fetchBatch()));
        }
        if (replica.lastSeq() - replica.baseSeq() > 0 && logBytesHigh()) {
            snapshotWanted = true;
        }
        runtime.scheduler().schedule(Math.max(1, settings.gapTimeoutMillis() / 2), this::checkProgress);
    }

    private boolean logBytesHigh() {
        return replica.heldBytes() >= settings.snapshotLogBytes();
    }

    private void fetched(String from, DefinitiveEntries answer) {
        noteKnown(answer.definitiveUpTo());
        if (!canRelease()) {
            return;
        }
        if (answer.entries().isEmpty()) {
            if (answer.baseSeq() > releasedUpTo && settings.members().contains(from)) {
                needSnapshot = Math.max(needSnapshot, answer.baseSeq());
                snapshotSource = from;            // it compacted what we need: it holds a snapshot covering it
                pump();
            }
            return;
        }
        long room = settings.maxApplyBacklog() - backlog();
        List<TentativeAssignment> usable = new ArrayList<>();
        for (TentativeAssignment ta : answer.entries()) {
            if (ta.seq() == releasedUpTo + 1 + usable.size() && usable.size() < room) {
                usable.add(ta);
            }
        }
        queueRelease(usable);
    }

    private void startInstall() {
        String source = snapshotSource;
        if (source == null || source.equals(settings.self())) {
            source = nextOther();
        }
        snapshotSource = null;
        // Any snapshot past what was applied will do: what lies between it and the seqs that were compacted here
        // is fetched from the logs of the others afterwards (and if they compacted it too, they hold a newer one).
        install = new SnapshotInstall(source, releasedUpTo + 1, clock.nowMillis());
        LOG.log(System.Logger.Level.INFO, settings.self() + ": installing a snapshot from " + source
                + " (applied up to " + releasedUpTo + ", seqs up to " + needSnapshot + " compacted here)");
        transport.send(source, new FetchSnapshot(releasedUpTo + 1, 0, 0));
    }

    private void abortInstall() {
        install = null;
        snapshotSource = nextOther();
    }

    private void chunk(String from, SnapshotChunk chunk) {
        SnapshotInstall current = install;
        if (current == null || !from.equals(current.source)) {
            return;
        }
        if (chunk.snapshotSeq() == 0) {
            abortInstall();                       // it has none covering what we need: another member, next tick
            if (++snapshotRefusals >= others.size()) {
                // No member holds a newer snapshot (the one that did is gone): what was compacted here may still be
                // in the others' logs, where it becomes available once definitive there. Fetch it.
                snapshotRefusals = 0;
                needSnapshot = 0;
                lastProgressAt = 0;
            }
            return;
        }
        snapshotRefusals = 0;
        try {
            if (!current.accept(chunk, clock.nowMillis())) {
                return;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);   // cannot happen writing to memory
        }
        if (!current.complete()) {
            transport.send(from, new FetchSnapshot(current.minSeq, current.snapshotSeq(), current.offset()));
            return;
        }
        ChunkedBytes bytes = current.take();
        applyTask(() -> {
            SnapshotFormat.Decoded decoded;
            try {
                decoded = SnapshotFormat.read(bytes);
            } catch (SnapshotFormat.CorruptSnapshotException e) {
                LOG.log(System.Logger.Level.WARNING, settings.self() + ": snapshot from " + from + " refused: "
                        + e.getMessage());
                protocol(() -> {
                    if (install == current) {
                        abortInstall();
                    }
                });
                return;
            }
            try {
                engine.restore(decoded);
            } catch (java.io.IOException e) {     // the state machine could not take it: its state is unknown
                throw new java.io.UncheckedIOException("the snapshot at seq " + decoded.seq() + " from " + from
                        + " could not be restored", e);
            }
            lastCaptureSeq = Math.max(lastCaptureSeq, decoded.seq());
            protocol(() -> installed(current, decoded.seq(), bytes));
        });
    }

    private void installed(SnapshotInstall done, long seq, ChunkedBytes bytes) {
        if (install != done) {
            return;
        }
        install = null;
        snapshotsInstalled++;
        observer.snapshotInstalled(bytes.size(), clock.nowMillis() - done.startedAt);
        releasedUpTo = Math.max(releasedUpTo, seq);
        needSnapshot = 0;                         // what is still missing comes from the others' logs (checkProgress)
        noteKnown(seq);
        LOG.log(System.Logger.Level.INFO, settings.self() + ": installed the snapshot at seq " + seq + " ("
                + bytes.size() + " bytes) from " + done.source);
        backgroundTask(() -> {
            snapshots.save(seq, bytes);
            protocol(() -> snapshotStored(seq));
        });
        pump();
    }

    /**
     * Sends the next chunk a catching-up member asks for. The snapshot a member is pulling stays pinned for it
     * while it keeps asking, even after a newer one is stored, so that a transfer slower than the snapshot interval
     * still completes; and the log after it stays here, so that the member can go on from it instead of needing the
     * next snapshot (which would never end when installing takes longer than the snapshot interval).
     */
    private void serveSnapshot(String to, FetchSnapshot ask) {
        Serving pinned = servingTo.get(to);
        SnapshotStore.Stored source = pinned != null && pinned.snapshot().seq() == ask.snapshotSeq()
                ? pinned.snapshot() : snapshots.latest();
        if (source == null || source.seq() < ask.minSeq()) {
            servingTo.remove(to);
            holdLogForServing();
            transport.send(to, new SnapshotChunk(0, 0, 0, new byte[0]));
            return;
        }
        servingTo.put(to, new Serving(source, clock.nowMillis()));
        holdLogForServing();
        long offset = ask.snapshotSeq() == source.seq() && ask.offset() >= 0 && ask.offset() <= source.size()
                ? ask.offset() : 0;
        byte[] data;
        try {
            data = source.read(offset, settings.snapshotChunkBytes());
        } catch (java.io.UncheckedIOException gone) {
            if (source == snapshots.latest()) {
                throw gone;                       // the newest snapshot unreadable: the disk fails, stop
            }
            // the pinned one was deleted once two newer ones were stored: the member starts over on the newest
            servingTo.remove(to);
            serveSnapshot(to, new FetchSnapshot(ask.minSeq(), 0, 0));
            return;
        }
        transport.send(to, new SnapshotChunk(source.seq(), source.size(), offset, data));
    }

    /** Drops the pins of members that stopped asking; the log is held at the oldest snapshot still served. */
    private void expireServing(long now) {
        if (servingTo.values().removeIf(s -> now - s.askedAt() >= settings.installTimeoutMillis())) {
            holdLogForServing();
        }
    }

    private void holdLogForServing() {
        long hold = Long.MAX_VALUE;
        for (Serving s : servingTo.values()) {
            hold = Math.min(hold, s.snapshot().seq());
        }
        replica.holdCompaction(hold);
    }

    private String nextOther() {
        fetchTarget = (fetchTarget + 1) % settings.members().size();
        if (settings.members().get(fetchTarget).equals(settings.self())) {
            fetchTarget = (fetchTarget + 1) % settings.members().size();
        }
        return settings.members().get(fetchTarget);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Beacons, status

    private void beacon() {
        if (failure != null) {
            return;
        }
        Beacon own = new Beacon(incarnation, replica.role(), replica.epoch(), eligible(), engine.appliedSeq(),
                replica.definitiveUpTo(), snapshotSeq);
        for (String m : others) {
            transport.send(m, own);
        }
        status = buildStatus();
        reportIfStuck(status);
        runtime.scheduler().schedule(settings.beaconMillis(), this::beacon);
    }

    /**
     * May lead: its sequencer replica votes and its log is not far behind what it knows (what the application
     * replica still has to install or apply does not slow ordering). Protocol executor.
     */
    private boolean eligible() {
        return failure == null && replica.recovered() && knownUpTo - replica.lastSeq() <= settings.maxApplyBacklog();
    }

    /** Ready to serve: eligible, and its application replica caught up too. Protocol executor. */
    private boolean caughtUp() {
        return eligible() && install == null && needSnapshot <= releasedUpTo
                && knownUpTo - engine.appliedSeq() <= settings.maxApplyBacklog();
    }

    private NodeStatus buildStatus() {
        long now = clock.nowMillis();
        List<NodeStatus.Member> members = new ArrayList<>();
        List<String> notVoting = new ArrayList<>();
        boolean primaryKnown = replica.role() == SequencerReplica.Role.PRIMARY;
        for (String m : others) {
            Beacon b = selection.lastBeacon(m);
            long heard = selection.lastHeardAt(m);
            boolean live = selection.live(m, now);
            members.add(new NodeStatus.Member(m, selection.inView(m), live,
                    b == null ? null : b.role().name(), b == null ? 0 : b.epoch(), b != null && b.eligible(),
                    b == null ? 0 : b.appliedSeq(), b == null ? 0 : b.definitiveUpTo(), heard < 0 ? -1 : now - heard));
            primaryKnown |= live && b != null && b.role() == SequencerReplica.Role.PRIMARY;
            if (!live || b == null || b.role() == SequencerReplica.Role.RECOVERING
                    || b.role() == SequencerReplica.Role.CATCHING_UP) {
                notVoting.add(m + (live && b != null ? " (" + b.role().name().toLowerCase(java.util.Locale.ROOT) + ")"
                        : " (not heard from)"));
            }
        }
        notePrimary(now, members);
        if (primaryKnown) {
            // no grace at start: a server that restarted alone in its view must not report ready (it was, in one
            // CI run: ready at 11 s, alone in its view until 9 s after its start, and nothing ordered until 21 s)
            lastPrimarySeenAt = now;
        }
        Throwable failed = failure;
        String leader = selection.leader();
        String waiting = failed != null ? null : waitingFor(now, leader, notVoting);
        return new NodeStatus(settings.self(), replica.role().name(), replica.epoch(), leader, replica.recovered(),
                install != null || needSnapshot > releasedUpTo, waiting == null && failed == null, waiting, storage,
                failed == null ? null : describe(failed), engine.appliedSeq(), replica.definitiveUpTo(), knownUpTo,
                replica.baseSeq(), replica.lastSeq(), snapshotSeq, snapshotsTaken, snapshotsInstalled, droppedMessages,
                members, leaderChanges.stream().map(c -> new NodeStatus.LeaderChange(c.primary(), c.epoch(),
                        now - c.at())).toList());
    }

    /**
     * Records the primary seen now (this replica, or a live member whose beacon says so) when it differs from the
     * last one recorded; keeps the last {@value #LEADER_CHANGES_KEPT}. Protocol executor.
     */
    private void notePrimary(long now, List<NodeStatus.Member> members) {
        String primary = null;
        long epoch = 0;
        if (replica.role() == SequencerReplica.Role.PRIMARY) {
            primary = settings.self();
            epoch = replica.epoch();
        } else {
            for (NodeStatus.Member m : members) {
                if (m.live() && "PRIMARY".equals(m.role()) && m.epoch() >= epoch) {
                    primary = m.name();
                    epoch = m.epoch();
                }
            }
        }
        SeenPrimary last = leaderChanges.peekFirst();
        if (primary != null && (last == null || !last.primary().equals(primary) || last.epoch() != epoch)) {
            leaderChanges.addFirst(new SeenPrimary(primary, epoch, now));
            if (leaderChanges.size() > LEADER_CHANGES_KEPT) {
                leaderChanges.removeLast();
            }
        }
    }

    /** Logs, every {@value #STUCK_REPORT_MILLIS} ms, why this node has not been ready for that long. */
    private void reportIfStuck(NodeStatus now) {
        long t = clock.nowMillis();
        if (now.ready() || now.failure() != null) {
            notReadySince = -1;
            return;
        }
        if (notReadySince < 0) {
            notReadySince = t;
            lastStuckReportAt = t;
        } else if (t - lastStuckReportAt >= STUCK_REPORT_MILLIS) {
            lastStuckReportAt = t;
            LOG.log(System.Logger.Level.WARNING, settings.self() + ": not ready for " + (t - notReadySince) / 1000
                    + " s: " + now.waiting());
        }
    }

    /**
     * Why this node is not ready, for operators (null when it is). The cluster cannot order without a primary; a
     * primary needs a majority that votes, which members that lost their state do not give.
     */
    private String waitingFor(long now, String leader, List<String> notVoting) {
        String replicaWaits = replica.notVotingBecause();
        if (replicaWaits != null) {
            return replicaWaits + (notVoting.isEmpty() ? "" : "; not voting either: " + String.join(", ", notVoting))
                    + ". If a majority of the members lost their state, none of them ever votes again: see the README, "
                    + "'When a majority lost its disks'";
        }
        if (install != null || needSnapshot > releasedUpTo) {
            return "it installs a snapshot" + (install != null ? " from " + install.source : "");
        }
        if (!caughtUp()) {
            return "it applies what it knows: applied up to " + engine.appliedSeq() + " of " + knownUpTo;
        }
        if (leader == null) {
            return "no leader known";
        }
        if (lastPrimarySeenAt < 0) {
            return "no primary heard of since it started"
                    + (notVoting.isEmpty() ? "" : "; not voting: " + String.join(", ", notVoting));
        }
        long noPrimaryFor = now - lastPrimarySeenAt;
        if (noPrimaryFor > 2 * settings.suspectAfterMillis()) {
            return "no primary for " + noPrimaryFor + " ms: the cluster cannot order"
                    + (notVoting.isEmpty() ? "" : "; not voting: " + String.join(", ", notVoting));
        }
        return null;
    }

    /** What this node reported at its last beacon (at most a beacon interval old), with the live applied seq. */
    public NodeStatus status() {
        return status;
    }

    /** Reads the status afresh on the protocol executor (tests, status pages that must not lag). */
    public NodeStatus freshStatus() throws Exception {
        return onProtocolThread(() -> status = buildStatus());
    }

    public long appliedSeq() {
        return engine.appliedSeq();
    }

    /** The reply this replica keeps for {@code requestId}, or null. */
    public Reply reply(String requestId) {
        return engine.replies().get(requestId);
    }

    /** Why this server's replica stopped, or null while it runs. */
    public Throwable failure() {
        return failure;
    }

    /** This server's sequencer replica. Inspect it on the protocol executor only. */
    public SequencerReplica sequencerReplica() {
        return replica;
    }

    public String name() {
        return settings.self();
    }

    public NodeSettings settings() {
        return settings;
    }

    /** Runs {@code task} on the protocol executor and waits for its result (status pages, tests). */
    public <T> T onProtocolThread(Callable<T> task) throws Exception {
        return runAndWait(this::protocol, task, 10_000);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Executors and fail-stop

    private void protocol(Runnable task) {
        submitTo(runtime.protocol(), task);
    }

    /** Application code runs here; whatever it throws out of the engine stops the node. */
    private void applyTask(Runnable task) {
        submitTo(runtime.apply(), task);
    }

    private void backgroundTask(Runnable task) {
        submitTo(runtime.background(), task);
    }

    private void submitTo(Executor executor, Runnable task) {
        if (failure != null) {
            return;
        }
        try {
            executor.execute(() -> {
                if (failure != null) {
                    return;
                }
                try {
                    task.run();
                } catch (Throwable t) {           // fail-stop: the state may be half-changed; stop everything
                    fail(t);
                }
            });
        } catch (RejectedExecutionException e) {
            if (failure == null) {
                fail(e);
            }
        }
    }

    /** Stops this replica for good: nothing runs any more, every waiting call fails, the status says why. */
    void fail(Throwable cause) {
        stop(cause, true);
    }

    private void stop(Throwable cause, boolean failed) {
        synchronized (this) {
            if (failure != null) {
                return;
            }
            failure = cause;
        }
        if (failed) {
            LOG.log(System.Logger.Level.ERROR, "replica " + settings.self() + " stopped (fail-stop): "
                    + describe(cause), cause);
        }
        replica.stop();
        runtime.close();
        ReplicaFailedException stopped = stopped(cause);
        for (String reqId : List.copyOf(waiting.keySet())) {
            List<CompletableFuture<Reply>> callers = waiting.remove(reqId);
            if (callers != null) {
                callers.forEach(c -> c.completeExceptionally(stopped));
            }
        }
        for (CompletableFuture<?> read : List.copyOf(pendingReads)) {
            read.completeExceptionally(stopped);
        }
        status = buildStatus();
    }

    private ReplicaFailedException stopped(Throwable cause) {
        return new ReplicaFailedException("the replica of " + settings.self() + " stopped: " + describe(cause), cause);
    }

    private static String describe(Throwable t) {
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /**
     * Leaves: the replica stops, the executors end, waiting calls fail, and the log's storage is released — from the
     * protocol executor, so that no protocol task writes to it after (when the node had already stopped, nothing
     * runs there any more).
     */
    @Override
    public void close() {
        IllegalStateException closed = new IllegalStateException("the node was closed");
        try {
            onProtocolThread(() -> {
                stop(closed, false);
                log.close();
                return null;
            });
        } catch (Exception alreadyStopped) {
            stop(closed, false);
            log.close();
        }
    }
}
