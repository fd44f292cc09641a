package net.totalorder.sequencer.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.totalorder.sequencer.core.SequencerMessage.DefinitiveEntries;
import net.totalorder.sequencer.core.SequencerMessage.FetchDefinitive;
import net.totalorder.sequencer.core.SequencerMessage.GetSeq;
import net.totalorder.sequencer.core.SequencerMessage.NotPrimary;
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
 * P1–P5 are checked after every simulated run ({@code SequencerSimulationTest}).
 *
 * <h2>Threading</h2>
 * Not thread-safe. Every method must be called on one serial executor — the same one that runs the
 * {@link Scheduler}'s tasks and delivers the {@link Transport}'s messages. All work is non-blocking.
 */
public final class SequencerReplica {

    /**
     * RECOVERING after a (re)start until it holds the state of a majority; then BACKUP, or a leader in the css
     * (READING the majority state, INSTALLING its epoch), or PRIMARY.
     */
    public enum Role { RECOVERING, BACKUP, READING, INSTALLING, PRIMARY }

    /** Requests queued while this replica is still running its css, before it answers NotPrimary. */
    static final int MAX_QUEUED_REQUESTS = 65_536;

    private final SequencerConfig config;
    private final Transport transport;
    private final Scheduler scheduler;
    private final LeaderOracle oracle;
    private final DefinitiveListener listener;
    private final List<String> others;

    // --- replica state (every role) ---
    private final AssignmentLog log = new AssignmentLog();
    /** state.epoch: epoch of the last primary whose adopted log this replica holds. */
    private long stateEpoch;
    /** The highest epoch this replica promised (ReadMaj) or accepted (WriteMaj); writes below it are refused. */
    private long promisedEpoch;
    private String promisedTo;
    /** Seqs 1..definitiveUpTo are known definitive here, and were handed to the listener in order. */
    private long definitiveUpTo;
    /** Highest epoch heard of, to pick the next candidate epoch above it. */
    private long maxEpochSeen;
    private Role role = Role.RECOVERING;

    // --- recovery state (RECOVERING) ---
    private long recoveryNonce;
    private long recoveryAskedAt;
    private final Map<String, RecoverReply> recoveryReplies = new HashMap<>();

    // --- leader state (READING, INSTALLING, PRIMARY) ---
    private long epoch;
    private long phaseStartedAt;
    private long readFromSeq;
    private Map<String, ReadMajReply> promises;
    /** End of the log adopted by the css: a backup holding it has installed this epoch. */
    private long startSeq;
    private final Map<String, Follower> followers = new LinkedHashMap<>();
    /** End seq and send time of each WriteMaj round sent and not yet definitive, oldest first. */
    private final ArrayDeque<long[]> roundsInFlight = new ArrayDeque<>();
    private long lastFlushedSeq;
    /** Clients waiting for the definitive seq of a request, by request id. */
    private final Map<String, List<String>> waiters = new HashMap<>();
    /** Requests received during the css, served when it completes. */
    private final ArrayDeque<Queued> queued = new ArrayDeque<>();

    private Scheduler.Cancellable tickTask;
    private boolean stopped;

    public SequencerReplica(SequencerConfig config, Transport transport, Scheduler scheduler, LeaderOracle oracle,
                            DefinitiveListener listener) {
        this.config = config;
        this.transport = transport;
        this.scheduler = scheduler;
        this.oracle = oracle;
        this.listener = listener;
        this.others = config.members().stream().filter(m -> !m.equals(config.self())).toList();
    }

    /**
     * Starts the replica, which first recovers: a replica started with an empty state cannot tell a first start
     * from a restart that lost its state, so it never acknowledges or votes before it has recovered.
     *
     * @param incarnation a number unique to this start of this replica (e.g. a random long), so that answers to
     *                    an earlier incarnation's recovery are not mistaken for answers to this one
     */
    public void start(long incarnation) {
        recoveryNonce = incarnation;
        askForRecovery();
        maybeFinishRecovery();
        scheduleTick();
    }

    /** Stops timers; the replica no longer acts (used on shutdown and for crashes in the simulation). */
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
        } else if (message instanceof FetchDefinitive m) {
            onFetch(from, m);
        } else if (!isMember(from)) {
            return;                           // only members take part in ReadMaj/WriteMaj
        } else if (message instanceof WriteMaj m) {
            onWriteMaj(from, m);
        } else if (message instanceof WriteMajReply m) {
            onWriteMajReply(from, m);
        } else if (message instanceof ReadMaj m) {
            onReadMaj(from, m);
        } else if (message instanceof ReadMajReply m) {
            onReadMajReply(from, m);
        } else if (message instanceof Recover m) {
            transport.send(from, new RecoverReply(m.nonce(), false, Math.max(promisedEpoch, maxEpochSeen),
                    stateEpoch, definitiveUpTo, log.range(1, log.lastSeq())));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Recovery after a (re)start
    //
    // Before its crash this replica may have acknowledged an assignment that a bare majority made definitive, or
    // promised an epoch to a candidate still counting on it. So, until recovered, it neither acknowledges nor
    // votes, and it recovers from the states of q = n - majority + 1 other members that are not recovering
    // themselves: any such q others meet the other members of every majority it was part of. It adopts the best
    // state by the css rule (greatest state.epoch, then longest), and promises an epoch above every epoch those
    // members know of, so that no write it may have refused before the crash can become definitive through it
    // now (a primary it refuses re-runs its css, above that epoch). When every other member answers that it is
    // recovering too, or holds nothing and never installed an epoch, nothing was kept anywhere: the group starts
    // afresh (its first start; members that start a little later join the ones that already did).

    private void onMessageWhileRecovering(String from, SequencerMessage message) {
        if (message instanceof GetSeq m) {
            transport.send(from, new NotPrimary(m.reqId(), oracle.leader()));
        } else if (!isMember(from)) {
            return;
        } else if (message instanceof Recover m) {
            transport.send(from, new RecoverReply(m.nonce(), true, 0, 0, 0, List.of()));
        } else if (message instanceof RecoverReply m && m.nonce() == recoveryNonce) {
            recoveryReplies.put(from, m);
            maybeFinishRecovery();
        }
    }

    private void askForRecovery() {
        recoveryAskedAt = scheduler.nowMillis();
        Recover ask = new Recover(recoveryNonce);
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
        if (!others.isEmpty() && kept.size() < needed) {
            // Everyone answered and nobody keeps anything: recovering, or never installed an epoch nor held an
            // assignment (a member that started fresh a moment earlier). Nothing survived: start afresh.
            boolean nothingKept = kept.stream().allMatch(r -> r.stateEpoch() == 0 && r.entries().isEmpty());
            if (recoveryReplies.size() == others.size() && nothingKept) {
                finishRecovery();
            }
            return;
        }
        RecoverReply best = kept.stream()
                .max(Comparator.comparingLong(RecoverReply::stateEpoch)
                        .thenComparingLong(r -> r.entries().size()))
                .orElse(null);
        if (best != null) {
            for (TentativeAssignment ta : best.entries()) {
                log.append(ta);
            }
            stateEpoch = best.stateEpoch();
            long highest = 0;
            long definitive = 0;
            for (RecoverReply r : kept) {
                highest = Math.max(highest, Math.max(r.highestEpoch(), r.stateEpoch()));
                definitive = Math.max(definitive, r.definitiveUpTo());
            }
            promisedEpoch = highest + 1;
            promisedTo = null;
            maxEpochSeen = promisedEpoch;
            finishRecovery();
            markDefinitive(definitive);
        } else {
            finishRecovery();
        }
    }

    private void finishRecovery() {
        role = Role.BACKUP;
        recoveryReplies.clear();
    }

    // ------------------------------------------------------------------------------------------------------------
    // Client requests (Fig. 3 lines 6–13)

    private void onGetSeq(String client, GetSeq request) {
        Long assigned = log.seqOf(request.reqId());
        if (assigned != null && assigned <= definitiveUpTo) {
            // Already served (line 7–8); any replica that knows the assignment is definitive may answer.
            transport.send(client, new Seq(request.reqId(), assigned));
            return;
        }
        switch (role) {
            case PRIMARY -> {
                if (assigned == null) {
                    log.append(new TentativeAssignment(request.reqId(), log.lastSeq() + 1, epoch,
                            request.payload()));
                }
                List<String> waiting = waiters.computeIfAbsent(request.reqId(), k -> new ArrayList<>(1));
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
            case RECOVERING, BACKUP -> transport.send(client, new NotPrimary(request.reqId(), oracle.leader()));
        }
    }

    private void onFetch(String from, FetchDefinitive fetch) {
        int max = Math.min(Math.max(fetch.max(), 0), config.maxEntriesPerMessage());
        long to = Math.min(definitiveUpTo, fetch.fromSeq() + max - 1);
        transport.send(from, new DefinitiveEntries(definitiveUpTo, log.range(fetch.fromSeq(), to)));
    }

    // ------------------------------------------------------------------------------------------------------------
    // Leadership and the css (Fig. 3 lines 14–28)

    private void checkLeadership() {
        if (role == Role.RECOVERING) {
            return;
        }
        boolean leader = oracle.isLeader();
        if (!leader && role != Role.BACKUP) {
            stepDown();                       // lines 14–15: ReadMaj/WriteMaj under way fail
        } else if (leader && role == Role.BACKUP) {
            startCss();                       // line 16
        }
    }

    private void startCss() {
        role = Role.READING;
        epoch = Math.max(promisedEpoch, maxEpochSeen) + 1;
        maxEpochSeen = epoch;
        phaseStartedAt = scheduler.nowMillis();
        readFromSeq = definitiveUpTo + 1;
        promises = new HashMap<>();
        promisedEpoch = epoch;
        promisedTo = config.self();
        promises.put(config.self(), stateReply(epoch, readFromSeq));
        ReadMaj read = new ReadMaj(epoch, readFromSeq);
        for (String member : others) {
            transport.send(member, read);
        }
        maybeFinishRead();
    }

    private void onReadMaj(String candidate, ReadMaj read) {
        noteEpoch(read.epoch());
        boolean repeat = read.epoch() == promisedEpoch && candidate.equals(promisedTo);
        if (read.epoch() <= promisedEpoch && !repeat) {
            transport.send(candidate, new ReadMajReply(read.epoch(), false, promisedEpoch, stateEpoch,
                    definitiveUpTo, log.lastSeq(), List.of()));
            return;
        }
        if (role != Role.BACKUP) {
            stepDown();                       // a newer leader is reading: our rounds can no longer succeed
        }
        promisedEpoch = read.epoch();
        promisedTo = candidate;
        transport.send(candidate, stateReply(read.epoch(), read.fromSeq()));
    }

    private ReadMajReply stateReply(long askedEpoch, long fromSeq) {
        return new ReadMajReply(askedEpoch, true, promisedEpoch, stateEpoch, definitiveUpTo, log.lastSeq(),
                log.range(fromSeq, log.lastSeq()));
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
        promises.put(from, reply);
        maybeFinishRead();
    }

    private void maybeFinishRead() {
        if (promises.size() < config.majority()) {
            return;
        }
        if (!oracle.isLeader()) {             // ReadMaj returns ⊥ when the invoker no longer leads
            stepDown();
            return;
        }
        // Epoch filter: the state of greatest epoch, then the longest, holds every definitive assignment.
        ReadMajReply best = promises.values().stream()
                .max(Comparator.comparingLong(ReadMajReply::stateEpoch).thenComparingLong(ReadMajReply::lastSeq))
                .orElseThrow();
        if (best.lastSeq() < definitiveUpTo) {
            throw new IllegalStateException(config.self() + ": majority state ends at seq " + best.lastSeq()
                    + " below this replica's definitive prefix " + (readFromSeq - 1));
        }
        adopt(best.entries());
        if (log.lastSeq() > best.lastSeq()) {
            truncateUndecided(best.lastSeq() + 1);   // our own non-definitive leftovers
        }
        startSeq = log.lastSeq();
        stateEpoch = epoch;
        lastFlushedSeq = startSeq;
        followers.clear();
        for (String member : others) {
            ReadMajReply state = promises.get(member);
            boolean holdsAdoptedLog = state == best && state.stateEpoch() == best.stateEpoch();
            followers.put(member, new Follower(holdsAdoptedLog ? startSeq + 1 : readFromSeq));
        }
        promises = null;
        role = Role.INSTALLING;
        phaseStartedAt = scheduler.nowMillis();
        // Redo the undecided suffix and impose the epoch (lines 19–21 and 27) in one WriteMaj round.
        roundsInFlight.add(new long[] {startSeq, phaseStartedAt});
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

    private void truncateUndecided(long fromSeq) {
        if (fromSeq <= definitiveUpTo) {
            throw new IllegalStateException(config.self() + ": would drop definitive seq " + fromSeq
                    + " (definitive up to " + definitiveUpTo + ")");
        }
        log.truncateFrom(fromSeq);
    }

    private void requireSameDefinitive(TentativeAssignment incoming) {
        TentativeAssignment mine = log.get(incoming.seq());
        if (!mine.sameRequestAs(incoming)) {
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
        lastFlushedSeq = roundEnd;
        roundsInFlight.add(new long[] {roundEnd, now});
        advanceDefinitive();
    }

    /** Sends {@code follower} its entries from {@code nextSeq} up to {@code upTo}, in as many messages as needed. */
    private void sendEntries(String member, Follower follower, long upTo) {
        sendEntries(member, follower, upTo, true);
    }

    private void sendEntries(String member, Follower follower, long upTo, boolean ackRequested) {
        do {
            long from = follower.nextSeq;
            long to = Math.min(upTo, from + config.maxEntriesPerMessage() - 1);
            List<TentativeAssignment> entries = log.range(from, to);
            transport.send(member, new WriteMaj(epoch, startSeq, from - 1, log.epochAt(from - 1), entries,
                    definitiveUpTo, ackRequested || !entries.isEmpty()));
            follower.nextSeq = from + entries.size();
            follower.lastSentAt = scheduler.nowMillis();
        } while (follower.nextSeq <= upTo);
    }

    private void onWriteMajReply(String from, WriteMajReply reply) {
        noteEpoch(reply.promisedEpoch());
        if ((role != Role.INSTALLING && role != Role.PRIMARY) || reply.epoch() != epoch) {
            return;
        }
        Follower f = followers.get(from);
        if (!reply.ok()) {
            if (reply.promisedEpoch() > epoch) {
                stepDown();                   // WriteMaj fails: a newer leader has read a majority
                return;
            }
            if (reply.matchSeq() < f.matchSeq) {
                return;                       // stale refusal, overtaken by later acknowledgements
            }
            f.nextSeq = reply.matchSeq() + 1; // the follower cannot match there: resend from what it holds
            sendEntries(from, f, Math.min(lastFlushedSeq, f.nextSeq + config.maxEntriesPerMessage() - 1));
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
                sendEntries(from, f, Math.min(lastFlushedSeq, f.nextSeq + config.maxEntriesPerMessage() - 1));
            }
        }
    }

    /** Marks definitive what a majority (this replica included) holds in this epoch; completes the css. */
    private void advanceDefinitive() {
        List<Long> matches = new ArrayList<>(config.members().size());
        matches.add(log.lastSeq());
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
        if (advanced) {
            markDefinitive(majorityHolds);
        }
        while (!roundsInFlight.isEmpty() && roundsInFlight.peekFirst()[0] <= definitiveUpTo) {
            roundsInFlight.pollFirst();
        }
        if (role == Role.INSTALLING) {
            role = Role.PRIMARY;              // line 28: the css succeeded
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

    private void announceDefinitive() {
        for (Map.Entry<String, Follower> f : followers.entrySet()) {
            Follower follower = f.getValue();
            if (follower.nextSeq > lastFlushedSeq) {
                sendEntries(f.getKey(), follower, lastFlushedSeq, false);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // WriteMaj, backup side

    private void onWriteMaj(String leader, WriteMaj write) {
        noteEpoch(write.epoch());
        if (write.epoch() < promisedEpoch) {
            transport.send(leader, new WriteMajReply(write.epoch(), false, 0, promisedEpoch));
            return;
        }
        if (role != Role.BACKUP) {
            if (write.epoch() == epoch) {
                return;                       // cannot happen: an epoch is promised to one leader only
            }
            stepDown();                       // a newer primary exists
        }
        if (write.epoch() > promisedEpoch) {
            promisedEpoch = write.epoch();
            promisedTo = leader;
        }
        boolean matches = write.prevSeq() <= definitiveUpTo
                || (write.prevSeq() <= log.lastSeq() && log.epochAt(write.prevSeq()) == write.prevEpoch());
        if (!matches) {
            long resendAfter = write.prevSeq() > log.lastSeq() ? log.lastSeq() : definitiveUpTo;
            transport.send(leader, new WriteMajReply(write.epoch(), false, resendAfter, promisedEpoch));
            return;
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
        }
        long known = Math.min(write.definitiveUpTo(), matchEnd);
        if (known > definitiveUpTo) {
            markDefinitive(known);
        }
        if (write.ackRequested()) {
            transport.send(leader, new WriteMajReply(write.epoch(), true, matchEnd, promisedEpoch));
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
                }
            }
        }
    }

    private void stepDown() {
        role = Role.BACKUP;
        promises = null;
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
    }

    private void tick() {
        if (stopped) {
            return;
        }
        checkLeadership();
        long now = scheduler.nowMillis();
        switch (role) {
            case RECOVERING -> {
                if (now - recoveryAskedAt >= config.readTimeoutMillis()) {
                    askForRecovery();
                }
            }
            case READING -> {
                if (now - phaseStartedAt >= config.readTimeoutMillis()) {
                    stepDown();               // ReadMaj returned ⊥; the next tick retries if still leader
                }
            }
            case INSTALLING, PRIMARY -> {
                if (!roundsInFlight.isEmpty() && now - roundsInFlight.peekFirst()[1] >= config.writeTimeoutMillis()) {
                    stepDown();               // line 13: WriteMaj failed
                    break;
                }
                for (Map.Entry<String, Follower> e : followers.entrySet()) {
                    Follower f = e.getValue();
                    long idle = now - f.lastSentAt;
                    if (f.matchSeq < lastFlushedSeq && idle >= config.retransmitMillis()) {
                        f.nextSeq = f.matchSeq + 1;   // go back: resend what is not acknowledged
                        sendEntries(e.getKey(), f, Math.min(lastFlushedSeq,
                                f.nextSeq + config.maxEntriesPerMessage() - 1));
                    } else if (idle >= config.heartbeatMillis()) {
                        sendEntries(e.getKey(), f, f.nextSeq - 1);
                    }
                }
            }
            case BACKUP -> { }
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
        return role == Role.BACKUP || role == Role.RECOVERING ? stateEpoch : epoch;
    }

    /** Whether this replica has recovered and takes part in the protocol. */
    public boolean recovered() {
        return role != Role.RECOVERING;
    }

    public long stateEpoch() {
        return stateEpoch;
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

    /** The paper's {@code last(state.TA)}, or null. */
    public TentativeAssignment last() {
        return log.last();
    }

    /** This replica's tentative assignment at {@code seq}, definitive or not, or null. */
    public TentativeAssignment assignmentAt(long seq) {
        return log.get(seq);
    }

    /** At most {@code max} definitive assignments from {@code fromSeq} on, in order. */
    public List<TentativeAssignment> definitiveFrom(long fromSeq, int max) {
        return log.range(fromSeq, Math.min(definitiveUpTo, fromSeq + Math.max(max, 0) - 1));
    }

    @Override
    public String toString() {
        return config.self() + "[" + role + " epoch=" + epoch() + " promised=" + promisedEpoch + " last="
                + log.lastSeq() + " definitive=" + definitiveUpTo + "]";
    }

    /** Replication progress of one backup, as the current leader sees it. */
    private static final class Follower {
        long nextSeq;
        long matchSeq;
        long lastSentAt;
        boolean installed;

        Follower(long nextSeq) {
            this.nextSeq = nextSeq;
        }
    }

    private record Queued(String client, GetSeq request) {
    }
}
