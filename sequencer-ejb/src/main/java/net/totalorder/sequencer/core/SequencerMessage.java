package net.totalorder.sequencer.core;

import java.util.List;

/**
 * Every message between the servers of a replication group. Immutable records; {@link SequencerCodec} is their
 * only wire form.
 *
 * <p>The sequencer proper. Client ↔ replica: {@link GetSeq}, {@link Seq}, {@link NotPrimary}; for linearizable
 * reads, {@link GetReadIndex} / {@link ReadIndex} (the primary confirms its lead with {@link ConfirmLead} /
 * {@link LeadConfirmed} first); and, for the ordered log, {@link FetchDefinitive} / {@link DefinitiveEntries}.
 * Replica ↔ replica (accepted only from configured members): {@link PreRead}/{@link PreReadReply} before a css,
 * {@link ReadMaj}/{@link ReadMajReply}, {@link WriteMaj}/{@link WriteMajReply}, and {@link Recover}/
 * {@link RecoverReply} for a restarted replica.
 *
 * <p>Between the servers' nodes: {@link Beacon}, which tells the others how a server is doing (its leader
 * selection rests on it), and {@link FetchSnapshot}/{@link SnapshotChunk}, which carry an application snapshot
 * to a server that must catch up past the compacted log, in bounded chunks it pulls one at a time.
 */
public sealed interface SequencerMessage {

    /**
     * No epoch or seq in a message may exceed this (2^62): a message that claims more is malformed. Counting one
     * election or one call per nanosecond, it takes 146 years to reach; the bound keeps every {@code + 1} the
     * protocol does on a received epoch or seq from overflowing, whoever sent it.
     */
    long MAX_NUMBER = 1L << 62;

    /** {@code value}, if it is an epoch or seq a message may carry (0..{@link #MAX_NUMBER}); else refused. */
    static long number(String field, long value) {
        if (value < 0 || value > MAX_NUMBER) {
            throw new IllegalArgumentException(field + " " + value + " is outside 0.." + MAX_NUMBER);
        }
        return value;
    }

    /**
     * Whether this message states something about the sender's stored log or hard state (an acknowledgement, a
     * promise, a state read, entries read from its log), so that in durable mode it may leave only once that is on
     * disk. Requests, a primary's writes and answers derived from a majority's acknowledgements do not: they may
     * leave before the sender's own sync, which then runs in parallel with the receivers' (a primary counts itself
     * towards a majority only for what it synced).
     */
    default boolean dependsOnStoredLog() {
        return false;
    }

    /** A client asks for the sequence number of {@code reqId}; {@code payload} travels with the assignment. */
    record GetSeq(String reqId, byte[] payload) implements SequencerMessage {
        public GetSeq {
            TentativeAssignment.validateRequest(reqId, payload);
        }
    }

    /** The definitive sequence number of {@code reqId}; sent only once the assignment is definitive. */
    record Seq(String reqId, long seq) implements SequencerMessage {
        public Seq {
            SequencerMessage.number("seq", seq);
        }
    }

    /**
     * A client asks the primary for a read index (as Raft's ReadIndex): the seq its replica must have applied before
     * a linearizable read may run there. {@code readId} names the request, as a request id names a call.
     */
    record GetReadIndex(String readId) implements SequencerMessage {
        public GetReadIndex {
            TentativeAssignment.validateRequestId(readId);
        }
    }

    /**
     * Answer to {@link GetReadIndex}: every call acknowledged before the request reached the primary is at or below
     * {@code seq}, which is definitive. Sent only after a majority confirmed, after the request arrived, that no
     * newer epoch had been promised — so a deposed primary never answers.
     */
    record ReadIndex(String readId, long seq) implements SequencerMessage {
        public ReadIndex {
            SequencerMessage.number("seq", seq);
        }
    }

    /**
     * Primary of {@code epoch} → members: do you still refuse no write of {@code epoch}? Confirmation {@code round}
     * answers every {@link GetReadIndex} that arrived before it was sent.
     */
    record ConfirmLead(long epoch, long round) implements SequencerMessage {
        public ConfirmLead {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("round", round);
        }
    }

    /**
     * Answer to {@link ConfirmLead}: {@code ok} when the responder had promised no epoch above {@code epoch} when it
     * answered; else {@code promisedEpoch} is what it promised.
     */
    record LeadConfirmed(long epoch, long round, boolean ok, long promisedEpoch) implements SequencerMessage {
        public LeadConfirmed {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("round", round);
            SequencerMessage.number("promisedEpoch", promisedEpoch);
        }
    }

    /** The receiver cannot serve {@code reqId} now; {@code leaderHint} is who it believes leads, or null. */
    record NotPrimary(String reqId, String leaderHint) implements SequencerMessage {
    }

    /**
     * Pre-vote (as Raft's PreVote): would the receiver promise {@code epoch} if a ReadMaj asked for it now? Changes
     * nothing at either end. A candidate starts its css — and so raises its epoch — only once a majority said yes,
     * so a member cut off from the others does not inflate its epoch and, once the link heals, depose a primary
     * that went on ordering without it.
     */
    record PreRead(long epoch) implements SequencerMessage {
        public PreRead {
            SequencerMessage.number("epoch", epoch);
        }
    }

    /**
     * Answer to {@link PreRead}: {@code granted} when the receiver votes and has promised less than {@code epoch};
     * {@code promisedEpoch} lets a candidate that missed an election ask for a high enough epoch next time.
     */
    record PreReadReply(long epoch, boolean granted, long promisedEpoch) implements SequencerMessage {
        public PreReadReply {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("promisedEpoch", promisedEpoch);
        }
    }

    /**
     * ReadMaj of candidate epoch {@code epoch}: the receiver promises to refuse any WriteMaj of a lower epoch,
     * then returns its state from {@code fromSeq} on (the candidate already holds everything definitive below). A
     * candidate that promised replica already answered asks again, with a later {@code fromSeq}, for the rest of a
     * state too long for one reply.
     */
    record ReadMaj(long epoch, long fromSeq) implements SequencerMessage {
        public ReadMaj {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("fromSeq", fromSeq);
        }
    }

    /**
     * Answer to {@link ReadMaj}. When {@code promised} is false the replica had already promised
     * {@code promisedEpoch} ≥ the asked epoch and returns nothing else. Otherwise {@code stateEpoch} is
     * {@code state.epoch} (the epoch of the last primary whose log it installed), {@code lastSeq} the end of its
     * TA, {@code baseSeq}/{@code baseEpoch} where its compacted prefix ends, and {@code entries} its TA from the
     * asked seq (or from {@code baseSeq + 1}, if the asked seq is compacted) on — as many as fit one message; the
     * candidate asks for the rest.
     */
    record ReadMajReply(long epoch, boolean promised, long promisedEpoch, long stateEpoch, long definitiveUpTo,
                        long baseSeq, long baseEpoch, long lastSeq, List<TentativeAssignment> entries)
            implements SequencerMessage {
        @Override
        public boolean dependsOnStoredLog() {
            return true;
        }

        public ReadMajReply {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("promisedEpoch", promisedEpoch);
            SequencerMessage.number("stateEpoch", stateEpoch);
            SequencerMessage.number("definitiveUpTo", definitiveUpTo);
            SequencerMessage.number("baseSeq", baseSeq);
            SequencerMessage.number("baseEpoch", baseEpoch);
            SequencerMessage.number("lastSeq", lastSeq);
            entries = List.copyOf(entries);
        }
    }

    /**
     * WriteMaj of primary (or css candidate) {@code epoch}: append {@code entries} after position
     * {@code prevSeq}, whose assignment has epoch {@code prevEpoch}. {@code startSeq} is the end of the log the
     * epoch's primary adopted in its css: a replica holding that prefix has installed the epoch.
     * {@code definitiveUpTo} tells the receiver how far the sender's log is definitive. Without
     * {@code ackRequested} (an announcement of what became definitive, which no round waits for) a receiver that
     * matches does not answer; one that cannot match still refuses, so that it is caught up. With
     * {@code baseInstall}, {@code prevSeq} is the sender's compacted base: every seq up to it is definitive and no
     * longer available, so a receiver that cannot match it takes it as its own base instead of asking for more.
     */
    record WriteMaj(long epoch, long startSeq, long prevSeq, long prevEpoch, List<TentativeAssignment> entries,
                    long definitiveUpTo, boolean ackRequested, boolean baseInstall) implements SequencerMessage {
        public WriteMaj {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("startSeq", startSeq);
            SequencerMessage.number("prevSeq", prevSeq);
            SequencerMessage.number("prevEpoch", prevEpoch);
            SequencerMessage.number("definitiveUpTo", definitiveUpTo);
            entries = List.copyOf(entries);
        }
    }

    /**
     * Answer to {@link WriteMaj}. {@code ok}: the receiver's TA matches the sender's up to {@code matchSeq}.
     * Not ok: either the receiver promised a higher {@code promisedEpoch}, or it could not match
     * {@code prevSeq} and asks for entries from {@code matchSeq + 1} on. {@code incarnation} is the receiver's: a
     * backup that restarted without its state is a new follower, whose earlier acknowledgements no longer hold.
     */
    record WriteMajReply(long epoch, boolean ok, long matchSeq, long promisedEpoch, long incarnation)
            implements SequencerMessage {
        public WriteMajReply {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("matchSeq", matchSeq);
            SequencerMessage.number("promisedEpoch", promisedEpoch);
        }

        @Override
        public boolean dependsOnStoredLog() {
            return true;
        }
    }

    /** A restarted replica asks the others for a bound on the epochs it may have promised; {@code nonce} is its incarnation. */
    record Recover(long nonce) implements SequencerMessage {
    }

    /**
     * Answer to {@link Recover}: the highest epoch the responder promised or heard of, whether it holds anything
     * ({@code stateEpoch}, the epoch it installed, and {@code lastSeq}, the end of its log: both 0 when it never
     * installed an epoch nor held an assignment), and the responder's own {@code incarnation}. A responder that is
     * itself still recovering says so and its other fields mean nothing.
     */
    record RecoverReply(long nonce, boolean recovering, long highestEpoch, long stateEpoch, long lastSeq,
                        long incarnation) implements SequencerMessage {
        public RecoverReply {
            SequencerMessage.number("highestEpoch", highestEpoch);
            SequencerMessage.number("stateEpoch", stateEpoch);
            SequencerMessage.number("lastSeq", lastSeq);
        }

        @Override
        public boolean dependsOnStoredLog() {
            return true;
        }
    }

    /** Asks for at most {@code max} definitive assignments from {@code fromSeq} on (gap filling, catch-up). */
    record FetchDefinitive(long fromSeq, int max) implements SequencerMessage {
        public FetchDefinitive {
            SequencerMessage.number("fromSeq", fromSeq);
        }
    }

    /**
     * Definitive assignments from the asked seq on, in order and gap-free, and how far the sender knows. When the
     * asked seq is compacted at the sender ({@code baseSeq} ≥ it), {@code entries} is empty: the asker must install
     * a snapshot covering {@code baseSeq}.
     */
    record DefinitiveEntries(long definitiveUpTo, long baseSeq, List<TentativeAssignment> entries)
            implements SequencerMessage {
        @Override
        public boolean dependsOnStoredLog() {
            return true;
        }

        public DefinitiveEntries {
            SequencerMessage.number("definitiveUpTo", definitiveUpTo);
            SequencerMessage.number("baseSeq", baseSeq);
            entries = List.copyOf(entries);
        }
    }

    /**
     * How a server is doing, sent to the others every beacon interval: its incarnation, its sequencer replica's
     * role and epoch, whether it may lead ({@code eligible}: recovered and caught up), the seq its application
     * replica applied, how far it knows the log to be definitive, and the seq of its latest snapshot.
     */
    record Beacon(long incarnation, SequencerReplica.Role role, long epoch, boolean eligible, long appliedSeq,
                  long definitiveUpTo, long snapshotSeq) implements SequencerMessage {
        public Beacon {
            SequencerMessage.number("epoch", epoch);
            SequencerMessage.number("appliedSeq", appliedSeq);
            SequencerMessage.number("definitiveUpTo", definitiveUpTo);
            SequencerMessage.number("snapshotSeq", snapshotSeq);
            if (role == null) {
                throw new IllegalArgumentException("beacon without a role");
            }
        }
    }

    /**
     * Asks for the chunk at {@code offset} of snapshot {@code snapshotSeq}, or, with {@code snapshotSeq} 0, of the
     * responder's latest snapshot provided it covers {@code minSeq}.
     */
    record FetchSnapshot(long minSeq, long snapshotSeq, long offset) implements SequencerMessage {
        public FetchSnapshot {
            SequencerMessage.number("minSeq", minSeq);
            SequencerMessage.number("snapshotSeq", snapshotSeq);
            SequencerMessage.number("offset", offset);
        }
    }

    /**
     * One chunk of the snapshot taken at {@code snapshotSeq}, {@code totalBytes} long: its bytes from
     * {@code offset}. {@code snapshotSeq} 0: the responder has no snapshot covering what was asked.
     */
    record SnapshotChunk(long snapshotSeq, long totalBytes, long offset, byte[] data) implements SequencerMessage {
        public SnapshotChunk {
            SequencerMessage.number("snapshotSeq", snapshotSeq);
            SequencerMessage.number("totalBytes", totalBytes);
            SequencerMessage.number("offset", offset);
            if (data == null || offset < 0 || totalBytes < 0 || offset + data.length > totalBytes) {
                throw new IllegalArgumentException("chunk of " + (data == null ? "no" : data.length) + " bytes at "
                        + offset + " does not fit a snapshot of " + totalBytes + " bytes");
            }
        }
    }
}
