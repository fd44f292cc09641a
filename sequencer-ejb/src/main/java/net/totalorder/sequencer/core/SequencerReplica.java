package net.totalorder.sequencer.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import net.totalorder.sequencer.core.SequencerMessage.ConfirmLead;
import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.GetReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.LeadConfirmed;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
import net.totalorder.sequencer.core.SequencerMessage.PreRead;
import net.totalorder.sequencer.core.SequencerMessage.PreReadReply;
import net.totalorder.sequencer.core.SequencerMessage.ReadIndex;
import net.totalorder.sequencer.core.SequencerMessage.ReadMaj;
import net.totalorder.sequencer.core.SequencerMessage.ReadMajReply;
import net.totalorder.sequencer.core.SequencerMessage.Recover;
import net.totalorder.sequencer.core.SequencerMessage.RecoverReply;
import net.totalorder.sequencer.core.SequencerMessage.Seq;
import net.totalorder.sequencer.core.SequencerMessage.WriteMaj;
import net.totalorder.sequencer.core.SequencerMessage.WriteMajReply;

/**
 * One replica of the fault-tolerant sequencer of Baldoni, Marchetti and Tucci-Piergiovanni (seed {@code 000},
 * Fig. 3): primary-backup over WriteMaj/ReadMaj, epochs, and the reconciliation procedure {@code css} run by a
 * new leader before it serves as primary.
 *
 * <h2>State (paper §4.1)</h2>
 * {@code state = <TA, epoch>} is {@link #log} and {@link #stateEpoch}; {@code primary} is {@code role ==
 * PRIMARY}; {@code seq} is {@code log.lastSeq()} on the primary. {@link #promisedEpoch} and
 * {@link #definitiveUpTo} are additions explained below.
 *
 * <h2>Where this follows the paper, and where it must go further</h2>
 * The paper relies on the timed asynchronous model: the datagram service drops late messages and a leader
 * change takes at least 2δ, so a ReadMaj never overlaps a previous primary's WriteMaj (its footnote 4). Neither
 * holds for JGroups on a real network, nor in our simulation, and the brief asks for safety even when two
 * replicas believe they lead. So:
 * <ol>
 * <li><b>ReadMaj carries the candidate epoch and is a promise.</b> A replica that answers ReadMaj(e) refuses
 * every later WriteMaj of an epoch below e, so a deposed primary's late write can no longer become definitive
 * behind the new leader's back. The paper's "impose epoch e with WriteMaj" (line 27) is still done, as part of
 * the first WriteMaj of the epoch; epochs are still {@code max seen + 1} (line 27), and are unique because a
 * replica promises each epoch at most once.</li>
 * <li><b>The epoch filter (lines 23–25) keeps the state of greatest epoch.</b> Among the states read, the one
 * with the greatest {@code state.epoch} (then the longest) holds every definitive assignment, and assignments
 * the others hold beyond it or in conflict with it are the non-definitive leftovers of failed WriteMajs. Keeping
 * per seq the assignment of greatest epoch, as the paper does, is enough when a primary has one WriteMaj
 * outstanding; with batched and pipelined writes it can keep a leftover that duplicates a later definitive
 * assignment of the same request (this is the bug the simulation finds when the filter is planted back).</li>
 * <li><b>Redo of {@code last(maj_state.TA)} (line 19–21) covers the whole adopted suffix.</b> With pipelined
 * rounds more than the last assignment may be undecided, so the first WriteMaj of the epoch rewrites everything
 * after the candidate's definitive prefix; assignments keep the epoch of the primary that created them.</li>
 * <li><b>Writes carry {@code (prevSeq, prevEpoch)}</b> so every replica's TA stays a gap-free prefix of some
 * primary's TA (the log-matching rule of Raft/VR), and backups learn how far it is definitive.</li>
 * </ol>
 * A backup learns how far the log is definitive from the next WriteMaj or heartbeat the primary sends it; when an
 * assignment becomes definitive with nothing new to send, the primary tells at once only the backups that need it
 * now — those sent a {@link Seq} for it (or for a retried request already definitive), or a {@link ReadIndex} above
 * what they were told — and the others within a heartbeat. At one client that spares one or two of the six or so
 * messages a call costs; it changes no promise and no majority, only when a backup applies.
 * P1–P5 are checked after every simulated run ({@code SequencerSimulationTest}).
 *
 * <h2>Pre-vote</h2>
 * A backup that its oracle makes leader first asks the others whether they would promise its next epoch
 * ({@link PreRead}); only a majority of yes starts the css. A member answers yes when it votes, has promised less,
 * and hears no live primary other than the candidate ({@link LeaderOracle#livePrimary()}). So a member cut off
 * from the others never raises its epoch, and when its link heals it neither deposes the primary that went on
 * without it nor makes that primary's writes be refused; nor can a member that merely stopped hearing a primary the
 * others still hear depose it. Like the oracle, this is for progress only: refusing a vote never affects safety.
 *
 * <h2>Read index</h2>
 * A linearizable read needs no log entry (as Raft's ReadIndex). The primary answers {@link GetReadIndex} with its
 * {@link #definitiveUpTo} as it was when the request arrived, once a majority (itself included) has answered a
 * {@link ConfirmLead} it sent after that arrival saying they promised no higher epoch. Why that suffices: a call
 * acknowledged before the read began is definitive in this epoch or an earlier one, so it is at or below this
 * primary's definitive prefix (a css adopts every definitive assignment, and a primary's own ones become
 * definitive here first); and a newer primary, which could acknowledge calls this one does not know, must have
 * been promised by a majority, which meets the confirming one in a member that promised only after it confirmed —
 * so after the read arrived. Reads that arrive while a confirmation is out share the next one: one round per batch,
 * whatever the number of reads. A primary cut off from the majority never completes one, so it never answers.
 *
 * <h2>Compaction and catch-up</h2>
 * The log lives in a {@link LogStorage}. Its definitive prefix is compacted once the application replica of this
 * server holds a snapshot covering it ({@link #snapshotCovers}); a primary keeps what a live backup still needs unless that
 * backup lags more than {@link SequencerConfig#maxFollowerLag()} seqs. A backup that needs compacted seqs is sent
 * the primary's base instead ({@link WriteMaj#baseInstall()}), takes it as its own base and reports the run it
 * skipped ({@link DefinitiveListener#onSkipped}); a css candidate whose adopted state is compacted past its own
 * definitive prefix does the same — but only once a snapshot stored on its server covers that base
 * ({@link DefinitiveListener#onSnapshotNeeded}): no replica ever drops part of its log that no snapshot of its own
 * covers, so what is acknowledged stays on a majority of disks. Every message carrying assignments is bounded in
 * count and bytes; a state too
 * long for one ReadMaj reply is read in several, and adopted only once complete.
 *
 * <h2>Recovery after a restart without the state</h2>
 * A replica that lost its state cannot tell a first start from a restart, and may have acknowledged assignments
 * and promised epochs it no longer knows. It stays silent for one read timeout (so that no css still counting a
 * promise it gave before the crash is collecting promises), then asks q = n − majority + 1 other members for the
 * highest epoch they know: those q meet every majority it took part in. It promises that epoch (it will never
 * promise it again) and is CATCHING_UP: it acknowledges the writes of that epoch's primary or a later one, which
 * bring it the log, but it does not vote in a css before it has installed such an epoch, since only then does its
 * log hold every definitive assignment. So a restart does not depose the primary, and no state is ever adopted
 * from a reply collected at another moment than the definitive prefix it would have to match.
 *
 * <h2>Threading</h2>
 * Not thread-safe. Every method must be called on one serial executor — the same one that runs the
 * {@link Scheduler}'s tasks and delivers the {@link Transport}'s messages. All work is non-blocking.
 */
public final class SequencerReplica {

    /**
     * RECOVERING after a restart without state, until it knows which epochs it may have promised; CATCHING_UP until
     * it has installed an epoch at least that high (it acknowledges writes but does not vote); then BACKUP, or a
     * leader in the css (READING the majority state, INSTALLING its epoch), or PRIMARY.
     */
    public enum Role { RECOVERING, CATCHING_UP, BACKUP, READING, INSTALLING, PRIMARY }

    /** Requests queued while this replica is still running its css, or waiting on it as primary; more are refused. */
    static final int MAX_QUEUED_REQUESTS = 65_536;

    private final SequencerConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final LeaderOracle oracle;
    private final DefinitiveListener listener;
    private final LogStorage log;
    private SequencerObserver observer = SequencerObserver.NONE;
    private final List<String> others;

    // --- replica state (every role) ---
    /** state.epoch: epoch of the last primary whose adopted log this replica holds. */
    private long stateEpoch;
    /** The highest epoch this replica promised (ReadMaj) or accepted (WriteMaj); writes below it are refused. */
    private long promisedEpoch;
    /** Who {@link #promisedEpoch} was promised to; null when unknown (after a recovery), so it is never promised again. */
    private String promisedTo;
    /** Seqs 1..definitiveUpTo are known definitive here and were reported to the listener; never below the log's base. */
    private long definitiveUpTo;
    /** Highest epoch heard of, to pick the next candidate epoch above it. */
    private long maxEpochSeen;
    private Role role = Role.RECOVERING;
    /** A snapshot stored by this server covers seqs up to here (monotone): the log may be compacted up to it. */
    private long snapshotCovered;
    /** Compaction stays at or below this seq while this server serves a snapshot this old to a member. */
    private long compactionHold = Long.MAX_VALUE;
    private long lastCompactionCheck;

    // --- recovery state (RECOVERING, CATCHING_UP) ---
    private long incarnation;
    private long startedAt;
    private long recoveryAskedAt = -1;
    private final Map<String, RecoverReply> recoveryReplies = new HashMap<>();
    /** A recovered replica votes only once it has installed an epoch at least this high. */
    private long installFloor;

    // --- pre-vote (a BACKUP its oracle makes leader) ---
    /** The epoch this replica's pre-vote asks about; 0 when none is under way. */
    private long preVoteEpoch;
    private long preVoteStartedAt = Long.MIN_VALUE / 2;
    private final Set<String> preVotesGranted = new HashSet<>();
    private final Set<String> preVotesRefused = new HashSet<>();

    // --- leader state (READING, INSTALLING, PRIMARY) ---
    private long epoch;
    private long phaseStartedAt;
    private long readFromSeq;
    private Map<String, ReadMajReply> promises;
    /** The member whose state the css adopts, once a majority promised; its state may take several replies. */
    private String adoptFrom;
    private ReadMajReply adoptedState;
    private final List<TentativeAssignment> adoption = new ArrayList<>();
    private long adoptBaseSeq;
    private long adoptBaseEpoch;
    private long adoptAskedAt;
    /** End of the log adopted by the css: a backup holding it has installed this epoch. */
    private long startSeq;
    private final Map<String, Follower> followers = new LinkedHashMap<>();
    /** End seq, send time and size of each WriteMaj round sent and not yet definitive, oldest first. */
    private final ArrayDeque<long[]> roundsInFlight = new ArrayDeque<>();
    private long lastFlushedSeq;
    /** Who was sent a {@link Seq} while the definitive prefix last advanced: they need to hear how far it is. */
    private final Set<String> seqSentTo = new HashSet<>();
    /** Clients waiting for the definitive seq of a request, by request id. */
    private final Map<String, List<String>> waiters = new HashMap<>();
    /** Requests received during the css, served when it completes. */
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();
    /** Read index requests waiting for the next confirmation round, and those the round out now answers. */
    private final List<ReadAsk> nextReads = new ArrayList<>();
    private final List<ReadAsk> confirmingReads = new ArrayList<>();
    /** The confirmation round out now (0: none), when it was sent and resent, and who confirmed it. */
    private long confirmRound;
    private long lastConfirmRound;
    private long confirmSentAt;
    private long confirmResentAt;
    private final Set<String> confirmedBy = new HashSet<>();

    private Scheduler.Cancellable tickTask;
    private boolean stopped;

    public SequencerReplica(SequencerConfig config, Transport transport, Scheduler scheduler, LeaderOracle oracle,
                            DefinitiveListener listener, LogStorage log) {
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.oracle = oracle;
        this.listener = listener;
        this.log = log;
        this.others = config.members().stream().filter(m -> !m.equals(config.self())).toList();
    }

    /** A replica whose log is kept in memory. */
    public SequencerReplica(SequencerConfig config, Transport transport, Scheduler scheduler, LeaderOracle oracle,
                            DefinitiveListener listener) {
        this(config, transport, scheduler, oracle, listener, new InMemoryLog());
    }

    /** Reports this replica's rounds and leader changes to {@code observer}; before {@link #start}. */
    public void observe(SequencerObserver observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Starts the replica, which first recovers (class Javadoc): it neither acknowledges nor votes before it knows
     * which epochs it may have promised.
     *
     * @param incarnation a number unique to this start of this replica (e.g. a random long), so that answers to
     *                    an earlier incarnation's recovery are not mistaken for answers to this one
     */
    public void start(long incarnation) {
        this.incarnation = incarnation;
        startedAt = scheduler.nowMillis();
        switch (log.origin()) {
            case RESTORED -> {
                // Its hard state and log survived: every promise and acknowledgement it gave still holds.
                HardState h = log.hardState();
                promisedEpoch = h.promisedEpoch();
                promisedTo = h.promisedTo();
                stateEpoch = h.stateEpoch();
                installFloor = h.installFloor();
                maxEpochSeen = promisedEpoch;
                definitiveUpTo = log.baseSeq();   // what lies above is learned again from the primary
                role = stateEpoch >= installFloor ? Role.BACKUP : Role.CATCHING_UP;
            }
            case NEW -> role = Role.BACKUP;      // provisioned, never promised nor acknowledged: votes empty at once
            case LOST -> {
                if (others.isEmpty()) {
                    finishRecovery(0, 0);         // a single member has nobody to recover from, nor to agree with
                }
            }
        }
        scheduleTick();
    }

    /** Stops timers; the replica no longer acts (used on shutdown, on a failure and for crashes in the simulation). */
    public void stop() {
        stopped = true;
        if (tickTask != null) {
            tickTask.cancel();
        }
    }

    /** The leader oracle's answer may have changed. */
    public void onLeadershipChange() {
        if (!stopped) {
            checkLeadership();
        }
    }

    /**
     * The application replica of this server stored a snapshot covering seqs up to {@code snapshotSeq}: the log may
     * drop them once they are definitive here (and, on a primary, no live backup still needs them), and a primary's
     * compacted base up to it may be taken.
     */
    public void snapshotCovers(long snapshotSeq) {
        if (snapshotSeq > snapshotCovered) {
            snapshotCovered = snapshotSeq;
            maybeCompact();
        }
    }

    /**
     * Keeps the seqs after {@code seq} in the log: this server serves a snapshot at {@code seq} to a member, which
     * will need what follows it from here. {@link Long#MAX_VALUE} lifts the hold.
     */
    public void holdCompaction(long seq) {
        boolean lifted = seq > compactionHold;
        compactionHold = seq;
        if (lifted) {
            maybeCompact();
        }
    }

    /** Handles one message. Replica-to-replica messages from processes that are not members are dropped. */
    public void onMessage(String from, SequencerMessage message) {
        if (stopped) {
            return;
        }
        if (role == Role.RECOVERING) {
            onMessageWhileRecovering(from, message);
            return;
        }
        if (message instanceof GetSeq m) {
            onGetSeq(from, m);
        } else if (message instanceof GetReadIndex m) {
            onGetReadIndex(from, m);
        } else if (message instanceof FetchDefinitive m) {
            onFetch(from, m);
        } else if (!isMember(from)) {
            return;                           // only members take part in ReadMaj/WriteMaj
        } else if (message instanceof WriteMaj m) {
            onWriteMaj(from, m);
        } else if (message instanceof WriteMajReply m) {
            onWriteMajReply(from, m);
        } else if (message instanceof ConfirmLead m) {
            noteEpoch(m.epoch());
            transport.send(from, new LeadConfirmed(m.epoch(), m.round(), m.epoch() >= promisedEpoch, promisedEpoch));
        } else if (message instanceof LeadConfirmed m) {
            onLeadConfirmed(from, m);
        } else if (message instanceof PreRead m) {
            onPreRead(from, m);
        } else if (message instanceof PreReadReply m) {
            onPreReadReply(from, m);
        } else if (message instanceof ReadMaj m) {
            onReadMaj(from, m);
        } else if (message instanceof ReadMajReply m) {
            onReadMajReply(from, m);
        } else if (message instanceof Recover m) {
            transport.send(from, new RecoverReply(m.nonce(), false, Math.max(promisedEpoch, maxEpochSeen),
                    stateEpoch, log.lastSeq(), incarnation));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Recovery after a restart without state (class Javadoc)

    private void onMessageWhileRecovering(String from, SequencerMessage message) {
        if (message instanceof GetSeq m) {
            transport.send(from, new NotPrimary(m.reqId(), oracle.leader()));
        } else if (message instanceof GetReadIndex m) {
            transport.send(from, new NotPrimary(m.readId(), oracle.leader()));
        } else if (!isMember(from)) {
            return;
        } else if (message instanceof Recover m) {
            transport.send(from, new RecoverReply(m.nonce(), true, 0, 0, 0, incarnation));
        } else if (message instanceof RecoverReply m && m.nonce() == incarnation && recoveryAskedAt >= 0) {
            RecoverReply known = recoveryReplies.get(from);
            if (known == null || known.recovering() || (!m.recovering() && m.highestEpoch() > known.highestEpoch())) {
                recoveryReplies.put(from, m);
            }
            maybeFinishRecovery();
        }
    }

    private void askForRecovery() {
        recoveryAskedAt = scheduler.nowMillis();
        Recover ask = new Recover(incarnation);
        for (String member : others) {
            RecoverReply known = recoveryReplies.get(member);
            if (known == null || known.recovering()) {
                transport.send(member, ask);
            }
        }
    }

    private void maybeFinishRecovery() {
        List<RecoverReply> kept = recoveryReplies.values().stream().filter(r -> !r.recovering()).toList();
        int needed = config.members().size() - config.majority() + 1;
        long highest = kept.stream().mapToLong(RecoverReply::highestEpoch).max().orElse(0);
        if (kept.size() >= needed) {
            finishRecovery(highest, highest);
        } else if (!log.durable() && recoveryReplies.size() == others.size()
                && kept.stream().allMatch(r -> r.stateEpoch() == 0 && r.lastSeq() == 0)) {
            // In memory mode, everyone answered and nobody keeps anything: recovering, or never installed an epoch
            // nor held an assignment (a member that started a moment earlier). Nothing survived anywhere: the group
            // starts afresh, above any epoch a candidate may have tried meanwhile. (In durable mode a member whose
            // disk was lost never concludes that: members that kept their disks may be down; see the README.)
            finishRecovery(highest, 0);
        }
    }

    private void finishRecovery(long highestEpoch, long mustInstall) {
        promisedEpoch = Math.max(promisedEpoch, highestEpoch);
        promisedTo = null;                    // it may have been promised to anyone: never promise it again
        maxEpochSeen = Math.max(maxEpochSeen, highestEpoch);
        installFloor = mustInstall;
        recoveryReplies.clear();
        role = stateEpoch >= installFloor ? Role.BACKUP : Role.CATCHING_UP;
        persistHardState();
        checkLeadership();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Client requests (Fig. 3 lines 6–13)

    private void onGetSeq(String client, GetSeq request) {
        Long assigned = log.seqOf(request.reqId());
        if (assigned != null && assigned <= definitiveUpTo) {
            // Already served (line 7–8); any replica that knows the assignment is definitive may answer.
            transport.send(client, new Seq(request.reqId(), assigned));
            tellDefinitive(client, assigned);
            return;
        }
        switch (role) {
            case PRIMARY -> {
                List<String> waiting = waiters.get(request.reqId());
                if (waiting == null && waiters.size() >= MAX_QUEUED_REQUESTS) {
                    transport.send(client, new NotPrimary(request.reqId(), null));   // overloaded: retry later
                    return;
                }
                if (assigned == null) {
                    log.append(new TentativeAssignment(request.reqId(), log.lastSeq() + 1, epoch,
                            request.payload()));
                }
                if (waiting == null) {
                    waiting = new ArrayList<>(1);
                    waiters.put(request.reqId(), waiting);
                }
                if (!waiting.contains(client)) {
                    waiting.add(client);
                }
                flush();
            }
            case READING, INSTALLING -> {
                if (queued.size() < MAX_QUEUED_REQUESTS) {
                    queued.add(new Queued(client, request));
                } else {
                    transport.send(client, new NotPrimary(request.reqId(), null));
                }
            }
            case RECOVERING, CATCHING_UP, BACKUP ->
                    transport.send(client, new NotPrimary(request.reqId(), oracle.leader()));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Read index (class Javadoc)

    private void onGetReadIndex(String client, GetReadIndex request) {
        if (role != Role.PRIMARY) {
            boolean electing = role == Role.READING || role == Role.INSTALLING;
            transport.send(client, new NotPrimary(request.readId(), electing ? null : oracle.leader()));
            return;
        }
        if (nextReads.size() + confirmingReads.size() >= MAX_QUEUED_REQUESTS) {
            transport.send(client, new NotPrimary(request.readId(), null));   // overloaded: retry later
            return;
        }
        nextReads.add(new ReadAsk(client, request.readId(), definitiveUpTo));
        confirmLead();
    }

    /** Sends a confirmation round for the reads waiting, unless one is out: those wait for the next. */
    private void confirmLead() {
        if (confirmRound != 0 || nextReads.isEmpty() || role != Role.PRIMARY) {
            return;
        }
        confirmRound = ++lastConfirmRound;
        confirmingReads.addAll(nextReads);
        nextReads.clear();
        confirmedBy.clear();
        confirmedBy.add(config.self());
        confirmSentAt = scheduler.nowMillis();
        confirmResentAt = confirmSentAt;
        ConfirmLead ask = new ConfirmLead(epoch, confirmRound);
        for (String member : others) {
            transport.send(member, ask);
        }
        answerConfirmedReads();
    }

    private void onLeadConfirmed(String from, LeadConfirmed reply) {
        noteEpoch(reply.promisedEpoch());
        if (role != Role.PRIMARY || reply.epoch() != epoch || reply.round() != confirmRound) {
            return;                           // an earlier round's, or an earlier epoch's
        }
        if (!reply.ok()) {
            if (reply.promisedEpoch() > epoch) {
                stepDown();                   // a newer leader has read a majority
            }
            return;
        }
        confirmedBy.add(from);
        answerConfirmedReads();
    }

    private void answerConfirmedReads() {
        if (confirmedBy.size() < config.majority()) {
            return;
        }
        for (ReadAsk ask : confirmingReads) {
            tellDefinitive(ask.client, ask.index);      // it cannot apply up to the index otherwise
            transport.send(ask.client, new ReadIndex(ask.readId, ask.index));
        }
        confirmingReads.clear();
        confirmRound = 0;
        confirmLead();
    }

    /** Refuses every read index request this replica holds: it no longer serves as primary. */
    private void refuseReads() {
        for (List<ReadAsk> asks : List.of(confirmingReads, nextReads)) {
            for (ReadAsk ask : asks) {
                transport.send(ask.client, new NotPrimary(ask.readId, null));
            }
            asks.clear();
        }
        confirmRound = 0;
    }

    private void onFetch(String from, FetchDefinitive fetch) {
        if (fetch.fromSeq() <= log.baseSeq()) {
            transport.send(from, new DefinitiveEntries(definitiveUpTo, log.baseSeq(), List.of()));
            return;
        }
        int max = Math.min(Math.max(fetch.max(), 0), config.maxEntriesPerMessage());
        transport.send(from, new DefinitiveEntries(definitiveUpTo, log.baseSeq(),
                definitiveFrom(fetch.fromSeq(), max)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Leadership and the css (Fig. 3 lines 14–28)

    private void checkLeadership() {
        if (role == Role.RECOVERING || role == Role.CATCHING_UP) {
            return;                           // no vote yet, so no candidacy either
        }
        boolean leader = oracle.isLeader();
        if (!leader) {
            preVoteEpoch = 0;                 // a pre-vote under way is for nothing now
            if (role != Role.BACKUP) {
                stepDown();                   // lines 14–15: ReadMaj/WriteMaj under way fail
            }
        } else if (role == Role.BACKUP) {
            preVote();                        // then line 16, once a majority would promise
        }
    }

    private void preVote() {
        long now = scheduler.nowMillis();
        if (now - preVoteStartedAt < config.retransmitMillis()) {
            return;                           // asked a moment ago; not on every tick
        }
        // Asked again each retransmit interval, answered or not: after a crash, a member may refuse until it too sees
        // the primary gone, which takes it a moment more than the candidate; a dead member never answers at all.
        long next = Math.max(promisedEpoch, maxEpochSeen) + 1;
        if (next > SequencerMessage.MAX_NUMBER) {
            return;                           // epochs exhausted (only a member gone mad gets here): never overflow
        }
        preVoteEpoch = next;
        preVoteStartedAt = now;
        preVotesGranted.clear();
        preVotesRefused.clear();
        preVotesGranted.add(config.self());
        PreRead ask = new PreRead(next);
        for (String member : others) {
            transport.send(member, ask);
        }
        maybeFinishPreVote();
    }

    private void onPreRead(String candidate, PreRead ask) {
        if (role == Role.CATCHING_UP) {
            return;                           // no vote before its log holds every definitive assignment
        }
        String primary = oracle.livePrimary();
        boolean granted = ask.epoch() > promisedEpoch && (primary == null || primary.equals(candidate));
        transport.send(candidate, new PreReadReply(ask.epoch(), granted, promisedEpoch));
    }

    private void onPreReadReply(String from, PreReadReply reply) {
        noteEpoch(reply.promisedEpoch());
        if (role != Role.BACKUP || preVoteEpoch == 0 || reply.epoch() != preVoteEpoch) {
            return;
        }
        (reply.granted() ? preVotesGranted : preVotesRefused).add(from);
        maybeFinishPreVote();
    }

    private void maybeFinishPreVote() {
        if (preVotesGranted.size() >= config.majority()) {
            preVoteEpoch = 0;
            startCss();
        } else if (preVotesRefused.size() > config.members().size() - config.majority()) {
            preVoteEpoch = 0;                 // no majority can say yes now; asked again at the next interval
        }
    }

    private void startCss() {
        if (Math.max(promisedEpoch, maxEpochSeen) >= SequencerMessage.MAX_NUMBER) {
            return;                           // epochs exhausted (only a member gone mad gets here): never overflow
        }
        role = Role.READING;
        epoch = Math.max(promisedEpoch, maxEpochSeen) + 1;
        maxEpochSeen = epoch;
        phaseStartedAt = scheduler.nowMillis();
        readFromSeq = definitiveUpTo + 1;
        promises = new HashMap<>();
        adoptFrom = null;
        promisedEpoch = epoch;
        promisedTo = config.self();
        persistHardState();                   // before any ReadMaj leaves
        // our own state: only its description counts (if it is the best, there is nothing to adopt)
        promises.put(config.self(), new ReadMajReply(epoch, true, promisedEpoch, stateEpoch, definitiveUpTo,
                log.baseSeq(), log.baseEpoch(), log.lastSeq(), List.of()));
        ReadMaj read = new ReadMaj(epoch, readFromSeq);
        for (String member : others) {
            transport.send(member, read);
        }
        maybeFinishRead();
    }

    private void onReadMaj(String candidate, ReadMaj read) {
        noteEpoch(read.epoch());
        if (role == Role.CATCHING_UP) {
            return;                           // no vote before its log holds every definitive assignment
        }
        boolean repeat = read.epoch() == promisedEpoch && candidate.equals(promisedTo);
        if (read.epoch() <= promisedEpoch && !repeat) {
            transport.send(candidate, new ReadMajReply(read.epoch(), false, promisedEpoch, stateEpoch,
                    definitiveUpTo, log.baseSeq(), log.baseEpoch(), log.lastSeq(), List.of()));
            return;
        }
        if (role != Role.BACKUP) {
            stepDown();                       // a newer leader is reading: our rounds can no longer succeed
        }
        promisedEpoch = read.epoch();
        promisedTo = candidate;
        persistHardState();                   // the promise is on disk before the answer leaves
        long from = Math.max(read.fromSeq(), log.baseSeq() + 1);
        transport.send(candidate, new ReadMajReply(read.epoch(), true, promisedEpoch, stateEpoch, definitiveUpTo,
                log.baseSeq(), log.baseEpoch(), log.lastSeq(), entriesFrom(from, log.lastSeq())));
    }

    private void onReadMajReply(String from, ReadMajReply reply) {
        noteEpoch(reply.promisedEpoch());
        if (role != Role.READING || reply.epoch() != epoch) {
            return;
        }
        if (!reply.promised()) {
            stepDown();                       // another leader holds a newer epoch; retry above it
            return;
        }
        if (adoptFrom == null) {
            promises.put(from, reply);
            maybeFinishRead();
        } else if (from.equals(adoptFrom)) {
            continueAdoption(reply);
        }
    }

    private void maybeFinishRead() {
        if (promises.size() < config.majority()) {
            return;
        }
        if (!oracle.isLeader()) {             // ReadMaj returns ⊥ when the invoker no longer leads
            stepDown();
            return;
        }
        // Epoch filter: the state of greatest epoch, then the longest, holds every definitive assignment; of equal
        // ones, the one that still holds the most content (lowest compacted base).
        Map.Entry<String, ReadMajReply> best = promises.entrySet().stream()
                .max(Comparator.comparingLong((Map.Entry<String, ReadMajReply> e) -> e.getValue().stateEpoch())
                        .thenComparingLong(e -> e.getValue().lastSeq())
                        .thenComparingLong(e -> -e.getValue().baseSeq()))
                .orElseThrow();
        if (best.getValue().lastSeq() < definitiveUpTo) {
            throw new IllegalStateException(config.self() + ": majority state ends at seq "
                    + best.getValue().lastSeq() + " below this replica's definitive prefix " + definitiveUpTo);
        }
        adoptFrom = best.getKey();
        adoptedState = best.getValue();
        adoption.clear();
        adoptBaseSeq = 0;
        adoptBaseEpoch = 0;
        if (adoptFrom.equals(config.self())) {
            finishRead();
        } else {
            continueAdoption(adoptedState);
        }
    }

    /** Takes what {@code reply} adds to the adopted state, then asks for the rest or completes the read. */
    private void continueAdoption(ReadMajReply reply) {
        if (reply.stateEpoch() != adoptedState.stateEpoch() || reply.lastSeq() != adoptedState.lastSeq()) {
            stepDown();                       // cannot happen while it keeps its promise; start over
            return;
        }
        long next = nextToAdopt();
        if (reply.baseSeq() >= next) {
            // the adopted state was compacted past what we hold: its base is definitive, take it
            adoptBaseSeq = reply.baseSeq();
            adoptBaseEpoch = reply.baseEpoch();
            adoption.clear();
            next = reply.baseSeq() + 1;
        }
        boolean progress = false;
        for (TentativeAssignment ta : reply.entries()) {
            if (ta.seq() == next) {
                adoption.add(ta);
                next++;
                progress = true;
            }
        }
        if (next > adoptedState.lastSeq()) {
            finishRead();
        } else if (progress || reply == adoptedState) {
            phaseStartedAt = scheduler.nowMillis();
            askForMoreState(next);
        }
    }

    private long nextToAdopt() {
        if (!adoption.isEmpty()) {
            return adoption.get(adoption.size() - 1).seq() + 1;
        }
        return Math.max(readFromSeq, adoptBaseSeq + 1);
    }

    private void askForMoreState(long from) {
        adoptAskedAt = scheduler.nowMillis();
        transport.send(adoptFrom, new ReadMaj(epoch, from));
    }

    private void finishRead() {
        if (adoptBaseSeq > definitiveUpTo) {
            if (snapshotCovered < adoptBaseSeq && !holds(adoptBaseSeq, adoptBaseEpoch)) {
                // the state to adopt was compacted past this replica's definitive prefix: it needs a snapshot
                // covering it before it can drop its own log for that base; try again once it has one
                listener.onSnapshotNeeded(adoptBaseSeq, adoptFrom);
                stepDown();
                return;
            }
            jumpToBase(adoptBaseSeq, adoptBaseEpoch);
        }
        adopt(adoption);
        adoption.clear();
        if (log.lastSeq() > adoptedState.lastSeq()) {
            truncateUndecided(adoptedState.lastSeq() + 1);   // our own non-definitive leftovers
        }
        startSeq = log.lastSeq();
        stateEpoch = epoch;
        persistHardState();                   // after the adopted log (saving syncs the log first)
        lastFlushedSeq = startSeq;
        followers.clear();
        long now = scheduler.nowMillis();
        for (String member : others) {
            ReadMajReply state = promises.get(member);
            long next = member.equals(adoptFrom) ? startSeq + 1
                    : state != null ? Math.max(readFromSeq, state.definitiveUpTo() + 1) : readFromSeq;
            followers.put(member, new Follower(Math.min(next, startSeq + 1), now));
        }
        promises = null;
        adoptFrom = null;
        adoptedState = null;
        role = Role.INSTALLING;
        phaseStartedAt = now;
        // Redo the undecided suffix and impose the epoch (lines 19–21 and 27) in one WriteMaj round.
        roundsInFlight.add(new long[] {startSeq, phaseStartedAt, Math.max(0, startSeq - definitiveUpTo)});
        for (Map.Entry<String, Follower> f : followers.entrySet()) {
            sendEntries(f.getKey(), f.getValue(), startSeq);
        }
        advanceDefinitive();                  // a single-member group needs no acknowledgement
    }

    /** Replaces this replica's TA from the first assignment of {@code entries} on with {@code entries}. */
    private void adopt(List<TentativeAssignment> entries) {
        for (TentativeAssignment ta : entries) {
            if (ta.seq() <= definitiveUpTo) {
                requireSameDefinitive(ta);
                continue;
            }
            TentativeAssignment mine = log.get(ta.seq());
            if (mine != null && mine.epoch() == ta.epoch()) {
                continue;                     // same creator epoch, same seq: the same assignment
            }
            if (mine != null) {
                truncateUndecided(ta.seq());
            }
            log.append(ta);
        }
    }

    /**
     * Seqs up to {@code seq}, whose assignment has epoch {@code seqEpoch}, are definitive, but their content is no
     * longer to be had: if this replica holds that very assignment, its prefix is the definitive one (writes keep
     * logs matching); otherwise it drops its log and takes the base.
     */
    private void jumpToBase(long seq, long seqEpoch) {
        if (seq <= definitiveUpTo) {
            return;
        }
        if (holds(seq, seqEpoch)) {
            markDefinitive(seq);
            return;
        }
        log.resetTo(seq, seqEpoch);
        definitiveUpTo = seq;
        listener.onSkipped(seq);
    }

    /** Whether this log holds the assignment at {@code seq} of epoch {@code seqEpoch} (and so the prefix before it). */
    private boolean holds(long seq, long seqEpoch) {
        TentativeAssignment mine = log.get(seq);
        return mine != null && mine.epoch() == seqEpoch;
    }

    private void truncateUndecided(long fromSeq) {
        if (fromSeq <= definitiveUpTo) {
            throw new IllegalStateException(config.self() + ": would drop definitive seq " + fromSeq
                    + " (definitive up to " + definitiveUpTo + ")");
        }
        log.truncateFrom(fromSeq);
    }

    private void requireSameDefinitive(TentativeAssignment incoming) {
        TentativeAssignment mine = log.get(incoming.seq());
        if (mine != null && !mine.sameRequestAs(incoming)) {
            throw new IllegalStateException(config.self() + ": definitive assignment " + mine
                    + " contradicted by " + incoming);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // WriteMaj, primary side

    /** Sends every follower the entries it lacks up to {@code lastFlushedSeq} and opens a new round. */
    private void flush() {
        if (role != Role.PRIMARY || roundsInFlight.size() >= config.maxInFlightRounds()
                || log.lastSeq() == lastFlushedSeq) {
            return;
        }
        long roundEnd = log.lastSeq();
        long now = scheduler.nowMillis();
        for (Map.Entry<String, Follower> f : followers.entrySet()) {
            Follower follower = f.getValue();
            // In-sync followers get the new round at once; lagging ones are paced by their acknowledgements.
            if (follower.nextSeq == lastFlushedSeq + 1) {
                sendEntries(f.getKey(), follower, roundEnd);
            }
        }
        roundsInFlight.add(new long[] {roundEnd, now, roundEnd - lastFlushedSeq});
        lastFlushedSeq = roundEnd;
        advanceDefinitive();
    }

    /**
     * Sends an in-sync {@code follower} its entries from {@code nextSeq} up to {@code upTo}, in as many messages as
     * needed: they arrive in order and each matches where the previous one ended.
     */
    private void sendEntries(String member, Follower follower, long upTo) {
        do {
            sendOne(member, follower, upTo, true);
        } while (follower.nextSeq <= upTo);
    }

    /**
     * Sends {@code follower} one WriteMaj: the entries from {@code nextSeq} (after the compacted base, if it needs
     * what was compacted) up to {@code upTo} that fit one message. A lagging or refusing follower gets one message
     * per answer (stop-and-wait), so that refusals never multiply the messages in flight.
     */
    private void sendOne(String member, Follower follower, long upTo, boolean ackRequested) {
        boolean baseInstall = follower.nextSeq <= log.baseSeq();
        long from = baseInstall ? log.baseSeq() + 1 : follower.nextSeq;
        List<TentativeAssignment> entries = entriesFrom(from, upTo);
        transport.send(member, new WriteMaj(epoch, startSeq, from - 1, log.epochAt(from - 1), entries,
                definitiveUpTo, ackRequested || !entries.isEmpty(), baseInstall));
        follower.nextSeq = from + entries.size();
        follower.lastSentAt = scheduler.nowMillis();
        follower.toldDefinitive = definitiveUpTo;
    }

    /** The assignments from {@code from} to {@code to} that fit one message. */
    private List<TentativeAssignment> entriesFrom(long from, long to) {
        return log.range(from, Math.min(to, from + config.maxEntriesPerMessage() - 1), config.maxBytesPerMessage());
    }

    private void onWriteMajReply(String from, WriteMajReply reply) {
        noteEpoch(reply.promisedEpoch());
        if ((role != Role.INSTALLING && role != Role.PRIMARY) || reply.epoch() != epoch) {
            return;
        }
        Follower f = followers.get(from);
        f.lastHeardAt = scheduler.nowMillis();
        if (reply.incarnation() != f.incarnation) {
            // first answer, or the backup restarted without its state: what it acknowledged before is gone
            f.incarnation = reply.incarnation();
            f.matchSeq = 0;
            f.installed = false;
        }
        if (!reply.ok()) {
            if (reply.promisedEpoch() > epoch) {
                stepDown();                   // WriteMaj fails: a newer leader has read a majority
                return;
            }
            if (reply.matchSeq() < f.matchSeq) {
                return;                       // stale refusal, overtaken by later acknowledgements
            }
            f.nextSeq = reply.matchSeq() + 1; // the follower cannot match there: resend from what it holds
            sendOne(from, f, lastFlushedSeq, true);
            return;
        }
        if (reply.matchSeq() > f.matchSeq) {
            f.matchSeq = reply.matchSeq();
        }
        if (reply.matchSeq() >= startSeq) {
            f.installed = true;
        }
        if (f.nextSeq <= f.matchSeq) {
            f.nextSeq = f.matchSeq + 1;
        }
        advanceDefinitive();
        if (role == Role.PRIMARY || role == Role.INSTALLING) {
            if (f.nextSeq <= lastFlushedSeq && f.nextSeq == f.matchSeq + 1) {
                // A lagging follower acknowledged all it was sent: next chunk (stop-and-wait catch-up).
                sendOne(from, f, lastFlushedSeq, true);
            }
        }
    }

    /** Marks definitive what a majority (this replica included) holds in this epoch; completes the css. */
    private void advanceDefinitive() {
        List<Long> matches = new ArrayList<>(config.members().size());
        matches.add(log.durableLastSeq());    // this replica counts only for what is on its disk
        for (Follower f : followers.values()) {
            if (f.installed) {
                matches.add(f.matchSeq);
            }
        }
        if (matches.size() < config.majority()) {
            return;
        }
        if (!oracle.isLeader()) {             // WriteMaj returns ⊤ only if the invoker still leads at the end
            stepDown();
            return;
        }
        matches.sort(Comparator.reverseOrder());
        long majorityHolds = Math.min(matches.get(config.majority() - 1), lastFlushedSeq);
        boolean advanced = majorityHolds > definitiveUpTo;
        seqSentTo.clear();
        if (advanced) {
            markDefinitive(majorityHolds);
        }
        long now = scheduler.nowMillis();
        while (!roundsInFlight.isEmpty() && roundsInFlight.peekFirst()[0] <= definitiveUpTo) {
            long[] round = roundsInFlight.pollFirst();
            observer.roundDefinitive(round[2], now - round[1]);
        }
        if (role == Role.INSTALLING) {
            role = Role.PRIMARY;              // line 28: the css succeeded
            observer.becamePrimary(epoch);
            while (!queued.isEmpty() && role == Role.PRIMARY) {
                Queued q = queued.poll();
                onGetSeq(q.client, q.request);
            }
        }
        if (advanced && role == Role.PRIMARY) {
            int before = roundsInFlight.size();
            flush();
            if (roundsInFlight.size() == before) {
                announceDefinitive();         // nothing new to send: tell backups what became definitive
            }
        }
    }

    /** Tells the backups that were just sent a {@link Seq} how far the log is definitive (class Javadoc). */
    private void announceDefinitive() {
        for (String member : seqSentTo) {
            tellDefinitive(member, definitiveUpTo);
        }
    }

    /**
     * Primary: tells backup {@code member} how far the log is definitive, unless the last WriteMaj it was sent said
     * {@code upTo} or more already, or it is still being sent entries (their WriteMajs will say it).
     */
    private void tellDefinitive(String member, long upTo) {
        Follower f = role == Role.PRIMARY ? followers.get(member) : null;
        if (f != null && f.toldDefinitive < upTo && f.nextSeq > lastFlushedSeq) {
            sendOne(member, f, lastFlushedSeq, false);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // WriteMaj, backup side

    private void onWriteMaj(String leader, WriteMaj write) {
        noteEpoch(write.epoch());
        if (write.epoch() < promisedEpoch) {
            transport.send(leader, new WriteMajReply(write.epoch(), false, 0, promisedEpoch, incarnation));
            return;
        }
        if (role == Role.READING || role == Role.INSTALLING || role == Role.PRIMARY) {
            if (write.epoch() == epoch) {
                return;                       // cannot happen: an epoch is promised to one leader only
            }
            stepDown();                       // a newer primary exists
        }
        if (write.epoch() > promisedEpoch) {
            promisedEpoch = write.epoch();
            promisedTo = leader;
            persistHardState();
        }
        boolean matches = write.prevSeq() <= definitiveUpTo
                || (write.prevSeq() >= log.baseSeq() && write.prevSeq() <= log.lastSeq()
                && log.epochAt(write.prevSeq()) == write.prevEpoch());
        if (!matches) {
            if (write.baseInstall()) {
                // what precedes is compacted at the primary; take its base, but only once a snapshot stored here
                // covers it: until then this log keeps what it holds (no acknowledgement; the primary resends)
                if (snapshotCovered < write.prevSeq()) {
                    listener.onSnapshotNeeded(write.prevSeq(), leader);
                    return;
                }
                jumpToBase(write.prevSeq(), write.prevEpoch());
            } else {
                long resendAfter = write.prevSeq() > log.lastSeq() ? log.lastSeq() : definitiveUpTo;
                transport.send(leader, new WriteMajReply(write.epoch(), false, resendAfter, promisedEpoch,
                        incarnation));
                return;
            }
        }
        adopt(write.entries());
        long matchEnd = write.prevSeq() + write.entries().size();
        if (matchEnd >= write.startSeq() && stateEpoch < write.epoch()) {
            // Installing the epoch: what lies beyond the matched prefix are leftovers of older epochs. Dropping
            // them keeps "a replica of state.epoch e holds a prefix of primary e's TA", which the css relies on.
            if (log.lastSeq() > matchEnd) {
                truncateUndecided(matchEnd + 1);
            }
            stateEpoch = write.epoch();
            persistHardState();               // after the log it describes (saving syncs the log first)
        }
        long known = Math.min(write.definitiveUpTo(), matchEnd);
        if (known > definitiveUpTo) {
            markDefinitive(known);
        }
        if (role == Role.CATCHING_UP && stateEpoch >= installFloor) {
            role = Role.BACKUP;               // its log now holds every definitive assignment: it may vote
        }
        if (write.ackRequested()) {
            transport.send(leader, new WriteMajReply(write.epoch(), true, matchEnd, promisedEpoch, incarnation));
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private void markDefinitive(long upTo) {
        if (upTo > log.lastSeq()) {
            throw new IllegalStateException(config.self() + ": cannot mark seq " + upTo
                    + " definitive, the log ends at " + log.lastSeq());
        }
        while (definitiveUpTo < upTo) {
            TentativeAssignment ta = log.get(++definitiveUpTo);
            listener.onDefinitive(ta);
            List<String> clients = waiters.remove(ta.reqId());
            if (clients != null) {
                for (String client : clients) {
                    transport.send(client, new Seq(ta.reqId(), ta.seq()));
                    seqSentTo.add(client);
                }
            }
        }
    }

    /** Stores the hard state as it is now; durable when this returns (durable mode). */
    private void persistHardState() {
        HardState now = new HardState(promisedEpoch, promisedTo, stateEpoch, installFloor);
        if (!now.equals(log.hardState())) {
            log.saveHardState(now);
        }
    }

    /**
     * The log was synced (before the messages of this executor run leave): what this primary holds on disk may now
     * complete a majority.
     */
    public void onLogSynced() {
        if (!stopped && (role == Role.PRIMARY || role == Role.INSTALLING)) {
            advanceDefinitive();
        }
    }

    /** Drops the definitive prefix a stored snapshot covers, by the rules of {@link #snapshotCovers}, {@link #holdCompaction}. */
    private void maybeCompact() {
        lastCompactionCheck = scheduler.nowMillis();
        long target = Math.min(Math.min(snapshotCovered, compactionHold), definitiveUpTo);
        if (role == Role.PRIMARY || role == Role.INSTALLING) {
            for (Follower f : followers.values()) {
                boolean live = lastCompactionCheck - f.lastHeardAt <= config.writeTimeoutMillis();
                if (live && log.lastSeq() - f.matchSeq <= config.maxFollowerLag()) {
                    target = Math.min(target, f.matchSeq);
                }
            }
        }
        if (target > log.baseSeq()) {
            log.compactUpTo(target);
        }
    }

    private void stepDown() {
        role = Role.BACKUP;
        promises = null;
        adoptFrom = null;
        adoptedState = null;
        adoption.clear();
        followers.clear();
        roundsInFlight.clear();
        for (Map.Entry<String, List<String>> w : waiters.entrySet()) {
            for (String client : w.getValue()) {
                transport.send(client, new NotPrimary(w.getKey(), null));
            }
        }
        waiters.clear();
        for (Queued q : queued) {
            transport.send(q.client, new NotPrimary(q.request.reqId(), null));
        }
        queued.clear();
        refuseReads();
    }

    private void tick() {
        if (stopped) {
            return;
        }
        checkLeadership();
        long now = scheduler.nowMillis();
        switch (role) {
            case RECOVERING -> {
                // silent for one read timeout first, so that no css still collects a promise we forgot
                boolean quiet = now - startedAt < config.readTimeoutMillis();
                if (!quiet && (recoveryAskedAt < 0 || now - recoveryAskedAt >= config.readTimeoutMillis())) {
                    askForRecovery();
                }
            }
            case READING -> {
                if (now - phaseStartedAt >= config.readTimeoutMillis()) {
                    stepDown();               // ReadMaj returned ⊥; the next tick retries if still leader
                } else if (adoptFrom != null && now - adoptAskedAt >= config.retransmitMillis()) {
                    askForMoreState(nextToAdopt());
                }
            }
            case INSTALLING, PRIMARY -> {
                if (!roundsInFlight.isEmpty() && now - roundsInFlight.peekFirst()[1] >= config.writeTimeoutMillis()) {
                    stepDown();               // line 13: WriteMaj failed
                    break;
                }
                if (confirmRound != 0 && now - confirmSentAt >= config.writeTimeoutMillis()) {
                    stepDown();               // no majority confirms this primary: as a failed WriteMaj
                    break;
                }
                if (confirmRound != 0 && now - confirmResentAt >= config.retransmitMillis()) {
                    confirmResentAt = now;
                    for (String member : others) {
                        if (!confirmedBy.contains(member)) {
                            transport.send(member, new ConfirmLead(epoch, confirmRound));
                        }
                    }
                }
                for (Map.Entry<String, Follower> e : followers.entrySet()) {
                    Follower f = e.getValue();
                    long idle = now - f.lastSentAt;
                    if (f.matchSeq < lastFlushedSeq && idle >= config.retransmitMillis()) {
                        f.nextSeq = f.matchSeq + 1;   // go back: resend what is not acknowledged
                        sendOne(e.getKey(), f, lastFlushedSeq, true);
                    } else if (idle >= config.heartbeatMillis()) {
                        sendOne(e.getKey(), f, f.nextSeq - 1, true);
                    }
                }
            }
            case CATCHING_UP, BACKUP -> { }
        }
        if (role != Role.RECOVERING && now - lastCompactionCheck >= config.heartbeatMillis()) {
            maybeCompact();
        }
        scheduleTick();
    }

    private void scheduleTick() {
        tickTask = scheduler.schedule(config.tickMillis(), this::tick);
    }

    private void noteEpoch(long e) {
        if (e > maxEpochSeen) {
            maxEpochSeen = e;
        }
    }

    private boolean isMember(String name) {
        return config.members().contains(name);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Inspection (tests, status page). Call on the replica's executor.

    public String name() {
        return config.self();
    }

    public Role role() {
        return role;
    }

    public boolean isPrimary() {
        return role == Role.PRIMARY;
    }

    /** The epoch this replica leads in (READING, INSTALLING, PRIMARY), else {@code state.epoch}. */
    public long epoch() {
        return role == Role.READING || role == Role.INSTALLING || role == Role.PRIMARY ? epoch : stateEpoch;
    }

    /** Whether this replica takes part in the protocol with a vote: neither recovering nor catching up. */
    public boolean recovered() {
        return role != Role.RECOVERING && role != Role.CATCHING_UP;
    }

    public long stateEpoch() {
        return stateEpoch;
    }

    /**
     * Why this replica does not vote yet, for operators; null once it does. A recovering replica names how many
     * members that kept their state have answered and how many it needs: when a majority lost its state, that
     * number is never reached, and the replica never votes (nothing it could do would be safe).
     */
    public String notVotingBecause() {
        if (role == Role.RECOVERING) {
            long answered = recoveryReplies.values().stream().filter(r -> !r.recovering()).count();
            int needed = config.members().size() - config.majority() + 1;
            return "its sequencer state is " + (log.durable() ? "lost (no storage marker)" : "kept in memory only")
                    + ": it recovers from members that kept theirs, " + answered + " of the " + needed
                    + " it needs have answered";
        }
        if (role == Role.CATCHING_UP) {
            return "it recovered and votes again once a primary of epoch " + installFloor + " or later installs its log "
                    + "here";
        }
        return null;
    }

    public long promisedEpoch() {
        return promisedEpoch;
    }

    public long definitiveUpTo() {
        return definitiveUpTo;
    }

    public long lastSeq() {
        return log.lastSeq();
    }

    /** Seqs up to this one are compacted here. */
    public long baseSeq() {
        return log.baseSeq();
    }

    /** Bytes of ids and payloads the log holds. */
    public long heldBytes() {
        return log.heldBytes();
    }

    /** The paper's {@code last(state.TA)}, or null. */
    public TentativeAssignment last() {
        return log.get(log.lastSeq());
    }

    /** This replica's tentative assignment at {@code seq}, definitive or not, or null (also when compacted). */
    public TentativeAssignment assignmentAt(long seq) {
        return log.get(seq);
    }

    /**
     * At most {@code max} definitive assignments from {@code fromSeq} on, in order, that fit one message; none when
     * {@code fromSeq} is compacted ({@link #baseSeq()}) or not yet definitive.
     */
    public List<TentativeAssignment> definitiveFrom(long fromSeq, int max) {
        if (fromSeq <= log.baseSeq() || max <= 0) {
            return List.of();
        }
        return log.range(fromSeq, Math.min(definitiveUpTo, fromSeq + max - 1), config.maxBytesPerMessage());
    }

    @Override
    public String toString() {
        return config.self() + "[" + role + " epoch=" + epoch() + " promised=" + promisedEpoch + " base="
                + log.baseSeq() + " last=" + log.lastSeq() + " definitive=" + definitiveUpTo + "]";
    }

    /** Replication progress of one backup, as the current leader sees it. */
    private static final class Follower {
        long nextSeq;
        long matchSeq;
        long lastSentAt;
        long lastHeardAt;
        long incarnation;
        boolean installed;
        /** The definitive prefix the last WriteMaj sent to it carried. */
        long toldDefinitive;

        Follower(long nextSeq, long now) {
            this.nextSeq = nextSeq;
            this.lastHeardAt = now;
        }
    }

    /** A read index request: who asked, and the primary's definitive prefix when it arrived. */
    private record ReadAsk(String client, String readId, long index) {
    }

    private record Queued(String client, GetSeq request) {
    }
}
